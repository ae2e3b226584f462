// Every form of the app is a plain post. While one is on its way, its button says so
// (its `data-busy` label, `aria-busy`) and a second press is ignored; coming back to the
// page (the back button) shows it at rest again. Without this script the browser's own
// loading indicator does the job.
(() => {
  const rest = new WeakMap();
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if (form.dataset.pending) {
      event.preventDefault();
      return;
    }
    form.dataset.pending = 'true';
    const button = event.submitter || form.querySelector('button[type=submit]');
    if (button && button.dataset.busy) {
      rest.set(button, button.textContent);
      button.textContent = button.dataset.busy;
      button.setAttribute('aria-busy', 'true');
    }
  });
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    for (const form of document.querySelectorAll('form[data-pending]')) delete form.dataset.pending;
    for (const button of document.querySelectorAll('button[aria-busy=true]')) {
      button.textContent = rest.get(button) ?? button.textContent;
      button.setAttribute('aria-busy', 'false');
    }
  });
})();
