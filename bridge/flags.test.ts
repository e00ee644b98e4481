import { describe, expect, it } from 'vitest';
import { DEFAULTS, HELP, parseFlags } from './flags.ts';

describe('bridge flags', () => {
  it('defaults to loopback with the documented ports', () => {
    const r = parseFlags([]);
    expect(r).toEqual({ ok: true, options: DEFAULTS });
    expect(DEFAULTS.host).toBe('127.0.0.1');
  });

  it('reads every flag, as "--flag value" or "--flag=value"', () => {
    const r = parseFlags(['--osc-port', '9000', '--ws-port=9001', '--http-port', '0', '--osc-out', '10.0.0.5:7000', '--name', 'Stage left']);
    expect(r.ok && r.options).toMatchObject({ oscPort: 9000, wsPort: 9001, httpPort: 0, oscOut: { host: '10.0.0.5', port: 7000 }, name: 'Stage left', lan: false });
    const off = parseFlags(['--osc-out', 'none']);
    expect(off.ok && off.options.oscOut).toBeNull();
  });

  it('refuses to bind beyond loopback without --lan, and --lan binds all interfaces with a sender allow-list', () => {
    const r = parseFlags(['--host', '0.0.0.0']);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/--lan/);
    const lan = parseFlags(['--lan', '--allow-osc-from', '192.168.1.20,192.168.1.21', '--allow-osc-from', '10.0.0.2']);
    expect(lan.ok && lan.options).toMatchObject({ lan: true, host: '0.0.0.0', allowOscFrom: ['192.168.1.20', '192.168.1.21', '10.0.0.2'] });
  });

  it('says what is wrong with a bad flag or value', () => {
    const cases: [string[], RegExp][] = [
      [['--osc-port', 'abc'], /not a port/],
      [['--osc-port', '70000'], /not a port/],
      [['--osc-out', 'nohost'], /HOST:PORT/],
      [['--token', 'short'], /8 characters/],
      [['--frobnicate'], /unknown flag/],
      [['--ws-port'], /needs a port/],
    ];
    for (const [argv, re] of cases) {
      const r = parseFlags(argv);
      expect(r.ok, argv.join(' ')).toBe(false);
      expect(!r.ok && r.message, argv.join(' ')).toMatch(re);
    }
  });

  it('--help is understood and the help lists every flag', () => {
    const r = parseFlags(['--help']);
    expect(r.ok && r.options.help).toBe(true);
    for (const f of ['--host', '--osc-port', '--osc-out', '--ws-port', '--http-port', '--lan', '--allow-osc-from', '--token', '--help']) expect(HELP).toContain(f);
  });
});
