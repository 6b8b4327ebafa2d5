// Shared pieces of the console's pages: error banners with AWS's message, dialogs, toasts, busy buttons,
// empty and loading states, badges and copy buttons. All text goes in as text (dom.js).
import { h, fill, select } from './dom.js';
import { icon as iconOf } from './icons.js';

/** An error as the person should see it: AWS's code and message, verbatim. */
export function errorBanner(err, title) {
  const code = err?.code ?? 'Error';
  return h(
    'div',
    { class: 'banner error', role: 'alert' },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, '!'),
    h('div', null, h('span', { class: 'code' }, title ?? code), h('p', { class: 'aws-message' }, err?.message || 'Something went wrong.')),
    h('span'),
  );
}

export function infoBanner(text, ...more) {
  return h('div', { class: 'banner info' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, 'i'), h('div', null, text, ...more), h('span'));
}

export const loading = (text = 'Loading…') => h('div', { class: 'loading' }, text);

export function empty(title, text, action) {
  return h('div', { class: 'empty' }, h('strong', null, title), text, action ? h('div', null, action) : null);
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}` }, text);
}

export function button(label, onClick, { kind = '', type = 'button', icon, ...rest } = {}) {
  return h('button', { class: `btn ${kind}`, type, onClick, ...rest }, icon ? iconOf(icon) : null, label);
}

/** Runs `fn` with the button showing a spinner and disabled. */
export async function busy(btn, fn) {
  btn.disabled = true;
  btn.classList.add('busy');
  try {
    return await fn();
  } finally {
    btn.disabled = false;
    btn.classList.remove('busy');
  }
}

export function copyButton(text, label = 'Copy') {
  const b = button(
    label,
    async () => {
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        return toast('Copy is not available here');
      }
      toast('Copied to the clipboard', 'ok');
    },
    { kind: 'small ghost', title: 'Copy to the clipboard', icon: 'copy' },
  );
  return b;
}

let toastRoot;
export function toast(text, kind = '') {
  toastRoot ??= document.body.appendChild(h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' }));
  const t = toastRoot.appendChild(h('div', { class: `toast ${kind}` }, text));
  while (toastRoot.children.length > 3) toastRoot.firstElementChild.remove();
  setTimeout(() => t.remove(), 3200);
}

/**
 * A modal dialog. `body` is an element; `onSubmit` runs on the primary button and closes the
 * dialog when it resolves; an ApiError it throws is shown inside the dialog, which stays open.
 */
export function dialog({ title, body, submitLabel = 'Save', kind = 'primary', onSubmit }) {
  const errors = h('div');
  const submit = h('button', { class: `btn ${kind}`, type: 'submit' }, submitLabel);
  const cancel = button('Cancel', () => dlg.close('cancel'), { kind: 'ghost' });
  const form = h(
    'form',
    { method: 'dialog', class: 'form' },
    h('div', { class: 'dlg-head' }, h('h2', null, title)),
    h('div', { class: 'dlg-body stack' }, errors, body),
    h('div', { class: 'dlg-foot' }, cancel, submit),
  );
  const dlg = h('dialog', { 'aria-label': title }, form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    fill(errors);
    try {
      await busy(submit, () => onSubmit?.());
      dlg.close('ok');
    } catch (e) {
      fill(errors, errorBanner(e));
    }
  });
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  dlg.querySelector('input, select, textarea')?.focus();
  return dlg;
}

/** A confirmation for something that cannot be undone; with `typed`, the person types it to enable the button. */
export function confirmDanger({ title, text, confirmLabel, typed, extra, onConfirm }) {
  const input = typed ? h('input', { type: 'text', autocomplete: 'off', 'aria-label': `Type ${typed} to confirm` }) : null;
  const body = h(
    'div',
    { class: 'stack' },
    h('p', null, text),
    extra,
    typed ? h('label', { class: 'field' }, h('span', null, 'To confirm, type ', h('code', null, typed)), input) : null,
  );
  const dlg = dialog({
    title,
    body,
    submitLabel: confirmLabel,
    kind: 'danger solid',
    onSubmit: async () => {
      if (typed && input.value.trim() !== typed) throw { code: 'Not confirmed', message: `Type ${typed} exactly to confirm.` };
      await onConfirm();
    },
  });
  return dlg;
}

/**
 * Shows `panel` under `anchor` until a click elsewhere or Escape; returns a function that closes it.
 * A second call while open closes it (a toggle).
 */
export function popover(anchor, makePanel, onClose) {
  const open = anchor.querySelector(':scope > .popover');
  if (open) {
    open.dispatchEvent(new Event('popover:close'));
    return () => {};
  }
  const panel = anchor.appendChild(makePanel());
  panel.addEventListener('popover:close', () => close());
  const close = () => {
    panel.remove();
    document.removeEventListener('pointerdown', outside, true);
    document.removeEventListener('keydown', esc, true);
    onClose?.();
  };
  const outside = (ev) => {
    if (!anchor.contains(ev.target)) close();
  };
  const esc = (ev) => {
    if (ev.key === 'Escape') close();
  };
  document.addEventListener('pointerdown', outside, true);
  document.addEventListener('keydown', esc, true);
  return close;
}

/** <label class="field">Label <input> hint</label> */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', null, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}

/** Hands a Blob to the browser as a file download named `name`. */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A results pager: the range shown ("Events 1–25 of 80"), a per-page choice and Previous / Next.
 * `sizes` are the per-page choices; `onSize` gets the chosen size, `onPage` the page number to show.
 */
export function pager(el, { range, noun, sizes, pageSize, page, hasNext, onSize, onPage }) {
  const size = select(
    sizes.map((n) => [String(n), String(n)]),
    String(pageSize),
    { 'aria-label': `${noun} per page` },
  );
  size.addEventListener('change', () => onSize(Number(size.value)));
  fill(
    el,
    h('span', { class: 'range' }, range),
    h(
      'div',
      { class: 'ctl' },
      h('span', null, 'Per page'),
      size,
      button('‹ Previous', () => onPage(page - 1), { kind: 'small', disabled: page === 0, 'aria-label': 'Previous page' }),
      h('span', { class: 'page-no' }, `Page ${page + 1}`),
      button('Next ›', () => onPage(page + 1), { kind: 'small', disabled: !hasNext, 'aria-label': 'Next page' }),
    ),
  );
}
