/** Command-line flags of the bridge: parsed without side effects so tests can check them. */

export interface BridgeOptions {
  host: string;
  oscPort: number;
  oscOut: { host: string; port: number } | null;
  wsPort: number;
  httpPort: number;
  lan: boolean;
  /** WebSocket token (LAN mode); generated at start when not given. */
  token: string | null;
  /** OSC sender addresses accepted (empty: any). */
  allowOscFrom: string[];
  name: string;
  help: boolean;
}

export const DEFAULTS: BridgeOptions = {
  host: '127.0.0.1',
  oscPort: 57121,
  oscOut: { host: '127.0.0.1', port: 57122 },
  wsPort: 57130,
  httpPort: 57131,
  lan: false,
  token: null,
  allowOscFrom: [],
  name: 'Glassforest',
  help: false,
};

export const HELP = `Glassforest bridge: UDP OSC and hardware MIDI <-> the engine page, and an OSCQuery server.

Usage: npm run bridge -- [flags]

  --host ADDR            address to bind (default 127.0.0.1; anything but loopback needs --lan)
  --osc-port N           UDP port for OSC input (default 57121)
  --osc-out HOST:PORT    where features, onsets and beats are sent as OSC (default 127.0.0.1:57122;
                         "none" turns it off)
  --ws-port N            WebSocket port the engine page connects to (default 57130)
  --http-port N          OSCQuery HTTP (and LISTEN WebSocket) port (default 57131)
  --lan                  serve beyond this machine: binds 0.0.0.0 unless --host says otherwise,
                         WebSocket clients then need the token printed at start
  --token TEXT           use this token instead of a random one (LAN mode)
  --allow-osc-from LIST  comma-separated sender addresses accepted for OSC input (repeatable);
                         default: any sender (loopback only unless --lan)
  --name TEXT            name shown to OSCQuery clients (default Glassforest)
  --help                 this text

Ports may be 0 (the system picks; the chosen ports are printed). No multicast or mDNS is sent.`;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host) || host === '::ffff:127.0.0.1';
}

function port(name: string, v: string | undefined): number | string {
  if (v === undefined) return `${name} needs a port number`;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < 0 || n > 65535) return `${name}: "${v}" is not a port number (0..65535)`;
  return n;
}

/** Parse argv (without node and script). Returns the options or a message saying what is wrong. */
export function parseFlags(argv: readonly string[]): { ok: true; options: BridgeOptions } | { ok: false; message: string } {
  const o: BridgeOptions = { ...DEFAULTS, oscOut: DEFAULTS.oscOut && { ...DEFAULTS.oscOut }, allowOscFrom: [] };
  let hostGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--help':
      case '-h':
        o.help = true;
        break;
      case '--host': {
        const v = value();
        if (!v) return { ok: false, message: '--host needs an address' };
        o.host = v;
        hostGiven = true;
        break;
      }
      case '--osc-port':
      case '--ws-port':
      case '--http-port': {
        const p = port(flag, value());
        if (typeof p === 'string') return { ok: false, message: p };
        if (flag === '--osc-port') o.oscPort = p;
        else if (flag === '--ws-port') o.wsPort = p;
        else o.httpPort = p;
        break;
      }
      case '--osc-out': {
        const v = value();
        if (v === undefined) return { ok: false, message: '--osc-out needs HOST:PORT (or "none")' };
        if (v === 'none') {
          o.oscOut = null;
          break;
        }
        const c = v.lastIndexOf(':');
        const h = c > 0 ? v.slice(0, c).replace(/^\[|\]$/g, '') : '';
        const p = c > 0 ? port('--osc-out', v.slice(c + 1)) : 'x';
        if (h === '' || typeof p === 'string' || p === 0) return { ok: false, message: `--osc-out: "${v}" is not HOST:PORT (e.g. 127.0.0.1:57122)` };
        o.oscOut = { host: h, port: p };
        break;
      }
      case '--lan':
        o.lan = true;
        break;
      case '--token': {
        const v = value();
        if (!v || v.length < 8) return { ok: false, message: '--token needs at least 8 characters' };
        o.token = v;
        break;
      }
      case '--allow-osc-from': {
        const v = value();
        if (!v) return { ok: false, message: '--allow-osc-from needs a comma-separated list of addresses' };
        for (const a of v.split(',')) if (a.trim() !== '') o.allowOscFrom.push(a.trim());
        break;
      }
      case '--name': {
        const v = value();
        if (!v) return { ok: false, message: '--name needs a name' };
        o.name = v;
        break;
      }
      default:
        return { ok: false, message: `unknown flag "${raw}" (see --help)` };
    }
  }
  if (o.lan && !hostGiven) o.host = '0.0.0.0';
  if (!o.lan && !isLoopback(o.host)) {
    return { ok: false, message: `--host ${o.host} is not a loopback address: add --lan to serve other machines (WebSocket clients then need a token)` };
  }
  return { ok: true, options: o };
}
