// The connectivity test page (PROTOCOL section 1, GET /connectivity): runs the three probes
// one after another and shows, for each, the result, the path found, the round trip and the
// ids support searches for. Everything shown is set as text, never as markup.
import { PROBE_KINDS, runProbe } from './probe-run.js';

const form = document.getElementById('test-form');
const tokenField = document.getElementById('token-field');
const tokenInput = document.getElementById('token');
const roomInput = document.getElementById('room');
const runButton = document.getElementById('run');
const message = document.getElementById('form-message');
const results = document.getElementById('results');
const rows = document.getElementById('result-rows');
const support = document.getElementById('support');

roomInput.value = `connectivity-${crypto.getRandomValues(new Uint32Array(2)).join('').slice(0, 12)}`;

fetch('/connectivity/settings')
  .then((response) => response.json())
  .then((settings) => {
    tokenField.hidden = !settings.authRequired;
    tokenInput.required = settings.authRequired;
    if (!settings.probeEnabled) {
      runButton.disabled = true;
      showMessage('The connectivity test is turned off on this service.', true);
    }
  })
  .catch(() => showMessage('Could not reach the service. Check your connection and reload the page.', true));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  runButton.disabled = true;
  showMessage('Testing…', false);
  rows.replaceChildren();
  results.hidden = false;
  support.hidden = true;
  const options = { room: roomInput.value, token: tokenInput.value.trim() };
  let passed = 0;
  for (const kind of PROBE_KINDS) {
    const row = addRow(kind);
    const result = await runProbe(kind, options);
    fillRow(row, result);
    if (result.status === 'pass') passed++;
  }
  showMessage(passed > 0 ? 'Done: you can reach the service.' : 'Done: no path to the service worked.', passed === 0);
  support.hidden = false;
  runButton.disabled = false;
});

function showMessage(text, isError) {
  message.textContent = text;
  message.classList.toggle('error', isError);
}

function addRow(kind) {
  const row = document.createElement('tr');
  row.dataset.probe = kind.id;
  const cells = [kind.label, 'running…', '', '', ''].map((text) => {
    const cell = document.createElement('td');
    cell.textContent = text;
    return cell;
  });
  cells[1].className = 'result-running';
  row.append(...cells);
  rows.append(row);
  return row;
}

function fillRow(row, result) {
  const [, status, path, rtt, session] = row.children;
  row.dataset.status = result.status;
  status.className = `result-${result.status}`;
  status.textContent = { pass: 'pass', fail: 'fail', skipped: 'skipped' }[result.status];
  if (result.status !== 'pass' && result.detail) status.append(detail(result.detail));
  path.textContent = result.status === 'pass' ? result.detail : '';
  rtt.textContent = result.rttMs !== null && result.rttMs !== undefined ? `${result.rttMs} ms` : '';
  session.replaceChildren();
  if (result.sessionId) session.append(copyable('session', result.sessionId));
  if (result.peerId) session.append(copyable('peer', result.peerId));
}

function detail(text) {
  const span = document.createElement('span');
  span.className = 'detail';
  span.textContent = text;
  return span;
}

function copyable(label, value) {
  const line = document.createElement('div');
  const code = document.createElement('code');
  code.textContent = value;
  code.dataset.copy = label;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'quiet';
  button.textContent = 'Copy';
  button.addEventListener('click', () => {
    if (!navigator.clipboard) return selectText(code);
    navigator.clipboard.writeText(value).then(
      () => (button.textContent = 'Copied'),
      () => selectText(code),
    );
  });
  line.append(`${label} `, code, ' ', button);
  return line;
}

/** Where the clipboard is not available (a plain-http page), select the id so it can be copied by hand. */
function selectText(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  getSelection()?.removeAllRanges();
  getSelection()?.addRange(range);
}
