/**
 * /metrics with WORKERS (src/cluster.ts): whichever worker a scrape reaches answers with the figures of
 * the whole cluster, so that one scrape of the one port sees everything. The worker asks the primary over
 * the cluster's IPC channel; the primary collects every worker's registry with prom-client's
 * AggregatorRegistry (the library's cluster support) and hands back the aggregate: counters, histograms
 * and gauges summed over the workers, except where prom-client's default metrics say otherwise (event loop
 * lag averaged, its min and max kept, `nodejs_version_info` taken from one worker, `process_start_time_seconds`
 * left out). `cluster_workers` (metrics.ts) then says how many workers the answer adds up.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const METRICS_MESSAGE = 'odoo-graphql:metrics';
/** A little beyond prom-client's own 5 s wait for the workers' answers. */
const ANSWER_TIMEOUT_MS = 6000;

interface MetricsMessage {
  readonly type: typeof METRICS_MESSAGE;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

function isMetricsMessage(message: unknown): message is MetricsMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === METRICS_MESSAGE;
}

/**
 * In a worker, from its start: answers the primary's requests for this process's figures (prom-client's
 * listener, installed by constructing an AggregatorRegistry), from `registry` once there is one
 * (shareRegistry), until then from prom-client's global registry, empty here: a worker still starting
 * adds nothing rather than holding up the scrape.
 */
export function answerPrimaryMetrics(): void {
  new AggregatorRegistry();
}

/** In a worker: the registry whose figures go into the cluster's aggregate. */
export function shareRegistry(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
}

/** In the primary: answers the workers' requests for the cluster's aggregate. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMetricsMessage(message)) return;
    const reply = (answer: Omit<MetricsMessage, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: METRICS_MESSAGE, id: message.id, ...answer });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

let nextId = 0;

/**
 * In a worker: the cluster's figures in Prometheus' text format, asked of the primary. Rejects when the
 * primary cannot collect them (a worker not answering within 5 s, as while the cluster shuts down).
 */
export function clusterMetricsText(): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const done = (settle: () => void) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      settle();
    };
    const onMessage = (message: unknown) => {
      if (!isMetricsMessage(message) || message.id !== id) return;
      done(() => (message.text === undefined ? reject(new Error(message.error ?? 'no answer')) : resolve(message.text)));
    };
    const timer = setTimeout(() => done(() => reject(new Error('the primary process did not answer'))), ANSWER_TIMEOUT_MS);
    process.on('message', onMessage);
    if (!process.send) return done(() => reject(new Error('not a cluster worker')));
    process.send({ type: METRICS_MESSAGE, id } satisfies MetricsMessage);
  });
}
