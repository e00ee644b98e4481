import { describe, expect, it } from 'vitest';
import { bridgeUrlFromLocation, DEFAULT_BRIDGE_PORT } from './bridge-client.ts';

describe('where the page looks for the bridge', () => {
  it('defaults to the page host on the default port; ?bridge= takes a port, a URL or off; the LAN token rides along', () => {
    expect(bridgeUrlFromLocation('', '127.0.0.1')).toBe(`ws://127.0.0.1:${DEFAULT_BRIDGE_PORT}`);
    expect(bridgeUrlFromLocation('', '')).toBe(`ws://127.0.0.1:${DEFAULT_BRIDGE_PORT}`);
    expect(bridgeUrlFromLocation('?bridge=9000', 'stage.local')).toBe('ws://stage.local:9000');
    expect(bridgeUrlFromLocation('?bridge=ws://10.0.0.2:9000', 'x')).toBe('ws://10.0.0.2:9000');
    expect(bridgeUrlFromLocation('?bridge=off', 'x')).toBeNull();
    expect(bridgeUrlFromLocation('?bridge=9000&bridgeToken=a b', '10.0.0.2')).toBe('ws://10.0.0.2:9000?token=a%20b');
  });
});
