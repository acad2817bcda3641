/** Starts a `clickairtime-mock` bin (from the clone or from an installed tarball) and reads its banner. */
import { spawn } from 'node:child_process';

export interface RunningBin {
  /** The API root it printed, e.g. `http://127.0.0.1:41234/v2`. */
  base: string;
  /** The full-permission key it printed. */
  key: string;
  stop(): void;
}

/** Runs `command args` on a free port and resolves once the banner has shown where it listens and with what key. */
export async function startMockBin(command: string, args: string[] = [], cwd?: string): Promise<RunningBin> {
  const child = spawn(command, [...args, '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => void child.kill('SIGTERM');
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('/balance')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`bin exited with ${code}: ${out}`)));
    });
    const base = /API: +(\S+)/.exec(banner)?.[1];
    const key = /Bearer (ce_live_\w+)/.exec(banner)?.[1];
    if (!base || !key) throw new Error(`no API address or key in the banner:\n${banner}`);
    return { base, key, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
