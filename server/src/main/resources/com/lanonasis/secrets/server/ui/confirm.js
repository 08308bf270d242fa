// The one confirmation dialog: asks before a change that cannot be taken back lightly, naming
// what will happen; the safe choice has the focus.

import {byId} from './dom.js';

/** Asks before a change; resolves true only when the user pressed the named button. */
export function confirmChange({title, message, action}) {
  const dialog = byId('confirm-dialog');
  byId('confirm-title').textContent = title;
  byId('confirm-message').textContent = message;
  const ok = byId('confirm-ok');
  const no = byId('confirm-cancel');
  ok.textContent = action;
  return new Promise((resolve) => {
    let answer = false;
    const yes = () => {
      answer = true;
      dialog.close();
    };
    const cancelIt = () => dialog.close();
    const done = () => {
      ok.removeEventListener('click', yes);
      no.removeEventListener('click', cancelIt);
      dialog.removeEventListener('close', done);
      resolve(answer);
    };
    ok.addEventListener('click', yes);
    no.addEventListener('click', cancelIt);
    dialog.addEventListener('close', done);
    dialog.showModal();
    no.focus(); // the safe choice has the focus
  });
}
