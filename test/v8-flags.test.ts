import { describe, expect, it } from 'vitest';
import { serverV8Flags } from '../src/v8-flags.js';

describe('the V8 flags a server process sets', () => {
  it('sets heap growth and no pretenuring when node is started without them', () => {
    expect(serverV8Flags([])).toEqual(['--heap-growing-percent=30', '--no-allocation-site-pretenuring']);
    expect(serverV8Flags(['--enable-source-maps', '--max-semi-space-size=8'])).toEqual([
      '--heap-growing-percent=30',
      '--no-allocation-site-pretenuring',
    ]);
  });

  it("keeps what node's command line gives, in either spelling and either sense", () => {
    expect(serverV8Flags(['--heap-growing-percent=0'])).toEqual(['--no-allocation-site-pretenuring']);
    expect(serverV8Flags(['--heap_growing_percent=50'])).toEqual(['--no-allocation-site-pretenuring']);
    expect(serverV8Flags(['--allocation-site-pretenuring'])).toEqual(['--heap-growing-percent=30']);
    expect(serverV8Flags(['--no-allocation_site_pretenuring', '--heap-growing-percent=30'])).toEqual([]);
  });

  it('does not take a longer flag for one of its own', () => {
    expect(serverV8Flags(['--heap-growing-percent-extra=1', '--allocation-site-pretenuring-foo'])).toEqual([
      '--heap-growing-percent=30',
      '--no-allocation-site-pretenuring',
    ]);
  });
});
