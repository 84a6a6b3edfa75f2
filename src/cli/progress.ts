// A one-line progress indicator on stderr for interactive terminals; silent when output is not a TTY.
import pc from 'picocolors';
import type { PluginOutcome } from '../engine/discover.js';

export interface Progress {
  update(outcome: PluginOutcome): void;
  done(): void;
}

export function pluginProgress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const finished: string[] = [];
  let cleared = false;
  const render = () => {
    const list = finished.join(' ');
    stream.write(`\r\x1b[2K${pc.cyan('discovering')} ${finished.length}/${total} ${list}`);
  };
  render();
  return {
    update(outcome) {
      const mark =
        outcome.status === 'discovered'
          ? pc.green('✓')
          : outcome.status === 'unavailable'
            ? pc.yellow('–')
            : pc.red('✗');
      finished.push(`${outcome.plugin} ${mark}`);
      render();
    },
    // Called when output is ready and again on the way out (errors included): clear the line once.
    done() {
      if (cleared) return;
      cleared = true;
      stream.write('\r\x1b[2K');
    },
  };
}
