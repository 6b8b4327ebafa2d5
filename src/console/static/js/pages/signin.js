// Sign-in: an access key pair (root or IAM user). The server uses it once, for an STS GetSessionToken
// recorded as ConsoleLogin, and keeps only the session credentials; the secret never comes back.
import { signIn } from '../api.js';
import { h, fill } from '../dom.js';
import { state } from '../state.js';
import { busy, errorBanner, field, infoBanner } from '../ui.js';

export function signInPage(onSignedIn) {
  const keyId = h('input', { name: 'accessKeyId', autocomplete: 'username', spellcheck: 'false', required: true, placeholder: 'AKIA…', autocapitalize: 'off' });
  const secret = h('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true });
  const errors = h('div');
  if (state.notice) {
    fill(errors, infoBanner(state.notice));
    state.notice = undefined;
  }
  const submit = h('button', { class: 'btn primary', type: 'submit' }, 'Sign in');
  const form = h('form', { novalidate: true }, errors, field('Access key ID', keyId), field('Secret access key', secret), submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    fill(errors);
    if (!keyId.value.trim() || !secret.value) {
      fill(errors, errorBanner({ code: 'Missing credentials', message: 'Enter an access key ID and its secret access key.' }));
      return;
    }
    try {
      const s = await busy(submit, () => signIn(keyId.value.trim(), secret.value));
      secret.value = '';
      onSignedIn(s);
    } catch (e) {
      secret.value = '';
      fill(errors, errorBanner(e, 'Sign-in failed'));
      secret.focus();
    }
  });
  queueMicrotask(() => keyId.focus());
  return h(
    'div',
    { class: 'signin', dataset: { title: 'Sign in' } },
    h(
      'div',
      { class: 'card' },
      h('div', { class: 'brand' }, h('img', { src: '/console/static/favicon.svg', alt: '', width: 30, height: 30 }), 'startrail'),
      h('h1', null, 'Sign in to the console'),
      h('p', { class: 'muted' }, 'Projects, teams and Event history for this account.'),
      form,
      h(
        'p',
        { class: 'note' },
        'Use the root key from ',
        h('code', null, '<data-dir>/credentials'),
        ' or an IAM user’s access key. ',
        'The secret is used once to start a session and is not kept; every sign-in is recorded in Event history as ',
        h('code', null, 'ConsoleLogin'),
        '.',
      ),
    ),
  );
}
