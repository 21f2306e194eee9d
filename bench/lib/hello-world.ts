/**
 * The ceiling of a throughput row: Node's bare `http` module answering a small JSON body, in its own
 * process as the server is, so that it and the load generator share the cores the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface HelloWorld {
  readonly url: string;
  readonly child: ChildProcess;
}

/** Starts the hello-world on a free loopback port; rejects when the process exits before listening. */
export async function startHelloWorld(): Promise<HelloWorld> {
  const code = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }); s.end('{"status":"ok"}'); })
    .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (exitCode) => reject(new Error(`hello-world exited with ${exitCode}`)));
  });
  return { url, child };
}
