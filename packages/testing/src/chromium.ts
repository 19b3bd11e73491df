import { existsSync } from 'node:fs';

/**
 * How browser tests launch Debian's chromium through playwright-core (`chromium.launch(chromiumLaunchOptions())`):
 * `.ci/run` installs the package when missing, and playwright-core never downloads a browser of its own.
 */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] } {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    throw new Error(
      `No browser at ${executablePath}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`,
    );
  return {
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  };
}
