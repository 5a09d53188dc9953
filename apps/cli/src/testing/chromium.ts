import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Renders a local HTML file to a PNG with Debian's headless Chromium (flags: TOOLCHAIN.md),
 * deliberately without --virtual-time-budget: the picture is what the page shows at load, as
 * a person's screenshot would catch it.
 */
export function screenshot(html: string, png: string, viewport: { width: number; height: number }): PNG {
  const profile = mkdtempSync(join(tmpdir(), 'caribou-chromium-'));
  try {
    const result = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${profile}`,
        `--window-size=${viewport.width},${viewport.height}`,
        `--screenshot=${png}`,
        `file://${html}`,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (!existsSync(png)) throw new Error(`chromium wrote no screenshot (exit ${result.status}): ${result.stderr}`);
    return PNG.sync.read(readFileSync(png));
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
