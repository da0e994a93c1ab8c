const $ = (id) => document.getElementById(id);
const dialog = $('confirm-dialog');

// Confirm and Cancel close the dialog with their value; Escape closes it with none.
$('confirm-accept').addEventListener('click', () => dialog.close('confirm'));
$('confirm-cancel').addEventListener('click', () => dialog.close('cancel'));

/**
 * Asks the operator to confirm one action in the page's modal `<dialog>`, never with
 * `window.confirm` (which blocks the page and its tests). While it is open the page
 * behind is inert and focus stays in it, starting on Cancel, so Enter alone never acts.
 * Resolves true for Confirm only; Cancel, Escape, or a question already open give false.
 */
export function confirmAction({ title, question, confirmLabel, danger = true }) {
  if (dialog.open) return Promise.resolve(false);
  $('confirm-title').textContent = title;
  $('confirm-question').textContent = question;
  const accept = $('confirm-accept');
  accept.textContent = confirmLabel;
  accept.classList.toggle('danger', danger);
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
  });
}
