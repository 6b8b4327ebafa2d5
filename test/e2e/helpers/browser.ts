/**
 * The console's browser tests: Debian's Chromium driven by playwright-core (no browser download), and
 * signing in through the sign-in page as a person does.
 */
import type { Page } from 'playwright-core';
import type { Credentials } from './server.ts';

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** Fills in and submits the sign-in form of the page as it is (the caller has opened it). */
export async function submitSignIn(p: Page, c: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>): Promise<void> {
  await p.getByLabel('Access key ID').fill(c.accessKeyId);
  await p.getByLabel('Secret access key').fill(c.secretAccessKey);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the console at `endpoint`, signs in, and waits for the main navigation. */
export async function signIn(p: Page, endpoint: string, c: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>): Promise<void> {
  await p.goto(`${endpoint}/console/`);
  await submitSignIn(p, c);
  await p.getByRole('navigation', { name: 'Main' }).waitFor();
}
