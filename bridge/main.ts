/** `npm run bridge`: start the bridge with command-line flags; Ctrl-C stops it. */
import { Bridge } from './bridge.ts';
import { HELP, parseFlags } from './flags.ts';

const parsed = parseFlags(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`bridge: ${parsed.message}`);
  process.exit(2);
}
const o = parsed.options;
if (o.help) {
  console.log(HELP);
  process.exit(0);
}

const bridge = new Bridge(o);
try {
  const p = await bridge.start();
  const shown = o.host === '0.0.0.0' ? '<this machine>' : o.host;
  console.log(`OSC in:    udp://${shown}:${p.oscPort}`);
  console.log(`OSC out:   ${o.oscOut ? `udp://${o.oscOut.host}:${o.oscOut.port}` : 'off'}`);
  console.log(`engine:    ws://${shown}:${p.wsPort}  (open the engine page with ?bridge=${p.wsPort}${bridge.token ? `&bridgeToken=${bridge.token}` : ''})`);
  console.log(`OSCQuery:  http://${shown}:${p.httpPort}/  (LISTEN/IGNORE on the same port)`);
  if (bridge.token) {
    console.log(`LAN mode: WebSocket clients need the token ${bridge.token}`);
    if (o.allowOscFrom.length === 0) console.log('LAN mode: OSC is accepted from any sender; restrict it with --allow-osc-from');
    else console.log(`LAN mode: OSC accepted only from ${o.allowOscFrom.join(', ')}`);
  }
  // one machine-readable line for scripts and tests
  console.log(`bridge ready ${JSON.stringify(p)}`);
} catch (err) {
  console.error(`bridge: could not start: ${(err as Error).message}`);
  process.exit(1);
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void bridge.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
