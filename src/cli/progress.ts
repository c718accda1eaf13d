// Progress bars on stderr, shown only on an interactive terminal and never in CI (the CI variable set to anything
// but "", "0" or "false") or with --quiet or --json. README's CLI reference states the rule for every command.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** Whether CI is set the way CI services set it (CI=true, CI=1, …). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** Show a progress bar? `quiet` is --quiet or --json; the bar needs a terminal on stderr and no CI. */
export function progressEnabled(quiet: boolean, env: NodeJS.ProcessEnv = process.env, stderrIsTty: boolean = process.stderr.isTTY === true): boolean {
  return !quiet && stderrIsTty && !inCi(env);
}

export function createProgress(label: string, enabled: boolean): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
