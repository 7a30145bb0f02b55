// contriblog's review page (docs/report.md#review-mode): each button sends
// its action to the daemon that served the page, as `contriblog edit` and
// `contriblog submitted` would, then redraws the rows it changed and the
// figures from the page the daemon renders now. No library, no build step.
(() => {
  'use strict';
  const doc = document;
  const csrf = doc.querySelector('meta[name="contriblog-csrf"]').content;
  const table = () => doc.querySelector('#contributions table.rows');
  const programCol = doc.querySelector('#contributions thead abbr');
  const program = programCol ? programCol.textContent.trim() : '';
  doc.documentElement.classList.add('js');

  const say = (msg, bad) => {
    const status = doc.getElementById('review-status');
    status.textContent = msg;
    status.classList.toggle('error', Boolean(bad));
  };

  // post sends fields to the daemon and returns its JSON answer; a
  // refusal throws with the daemon's sentence.
  async function post(path, fields) {
    const body = new URLSearchParams();
    for (const [k, v] of fields) body.append(k, v);
    const resp = await fetch(path, {
      method: 'POST', body, cache: 'no-store', credentials: 'same-origin',
      // The daemon checks the Origin; "no-referrer" (its header) would
      // send it as "null".
      referrerPolicy: 'same-origin',
      headers: {'X-CSRF-Token': csrf},
    });
    const text = await resp.text();
    if (!resp.ok) throw new Error(text.trim() || String(resp.status));
    return text ? JSON.parse(text) : null;
  }

  const rowOf = id => doc.getElementById('row-' + id);
  const titleOf = tr => {
    const b = tr && tr.querySelector('button[data-action="edit"]');
    return b ? b.dataset.title : '';
  };

  // refresh reads the page again and puts in the rows of ids (changed,
  // new or gone), every figure, and the header's counts; then focuses
  // the button of action on the row focusID (or its first button).
  async function refresh(ids, focusID, action) {
    const resp = await fetch(location.pathname + location.search, {cache: 'no-store', credentials: 'same-origin'});
    if (!resp.ok) throw new Error('the change is stored, but the page could not be read again (' + resp.status + '): reload it');
    const fresh = new DOMParser().parseFromString(await resp.text(), 'text/html');
    for (const old of doc.querySelectorAll('section.view')) {
      const n = fresh.getElementById(old.id);
      if (n) old.replaceWith(doc.importNode(n, true));
    }
    for (const id of ['to-submit', 'contributions-h']) {
      const old = doc.getElementById(id), n = fresh.getElementById(id);
      if (old && n) old.textContent = n.textContent;
    }
    const body = table() && table().tBodies[0];
    const freshTable = fresh.querySelector('#contributions table.rows');
    if (!body || !freshTable) {
      // No table before or after (the first or last row of the period):
      // the section as a whole.
      const sec = fresh.getElementById('contributions');
      doc.getElementById('contributions').replaceWith(doc.importNode(sec, true));
    } else {
      // The rows of ids leave, and come back (if they still are in the
      // period) where the log now has them: a new date moves a row.
      const want = new Set(ids);
      for (const id of want) {
        if (rowOf(id)) rowOf(id).remove();
      }
      let prev = null;
      for (const tr of Array.from(freshTable.tBodies[0].rows)) {
        const id = tr.dataset.id;
        if (want.has(id)) {
          const n = doc.importNode(tr, true);
          if (prev) prev.after(n);
          else body.prepend(n);
          prev = n;
        } else if (rowOf(id)) {
          prev = rowOf(id);
        }
      }
    }
    const row = rowOf(focusID);
    if (row) {
      const b = row.querySelector('button[data-action="' + action + '"]') || row.querySelector('button');
      if (b) b.focus();
    }
  }

  // run does one action: disables the row's buttons, sends it, says what
  // happened, redraws.
  async function run(tr, label, send) {
    const buttons = Array.from(tr.querySelectorAll('button'));
    buttons.forEach(b => { b.disabled = true; });
    tr.setAttribute('aria-busy', 'true');
    say(label + '…');
    try {
      const {ids, focus, action, done} = await send();
      await refresh(ids, focus, action);
      say(done);
    } catch (err) {
      buttons.forEach(b => { b.disabled = false; });
      tr.removeAttribute('aria-busy');
      say(label + ' failed: ' + err.message, true);
    }
  }

  // edit posts an edit of the row id (POST /edit, the form of `contriblog
  // edit`'s flags) and returns the ids of the rows it touched.
  async function edit(id, fields, others) {
    const rows = await post('/edit', [['id', id], ...fields]);
    return [id, ...(others || []), ...rows.map(r => r.id)];
  }

  const actions = {
    exclude: (tr, id) => run(tr, 'Excluding “' + titleOf(tr) + '”', async () => ({
      ids: await edit(id, [['exclude', '1']]), focus: id, action: 'include',
      done: 'Excluded “' + titleOf(tr) + '”: it is left out of the exports and the figures.'})),
    include: (tr, id) => run(tr, 'Including “' + titleOf(tr) + '”', async () => ({
      ids: await edit(id, [['include', '1']]), focus: id, action: 'exclude',
      done: 'Included “' + titleOf(tr) + '” again.'})),
    split: (tr, id) => run(tr, 'Splitting “' + titleOf(tr) + '”', async () => {
      const ids = await edit(id, [['split', '1']]);
      return {ids, focus: ids[1] || id, action: 'split', done: 'Split “' + titleOf(tr) + '” into ' + (ids.length - 1) + ' rows.'};
    }),
    mark: (tr, id) => run(tr, 'Marking “' + titleOf(tr) + '”', async () => {
      await post('/submissions', [['program', program], ['id', id]]);
      return {ids: [id], focus: id, action: 'unmark', done: 'Marked “' + titleOf(tr) + '” as in the ' + program + ' portal.'};
    }),
    unmark: (tr, id, b) => run(tr, 'Unmarking “' + titleOf(tr) + '”', async () => {
      const fields = [['program', program]];
      for (const r of JSON.parse(b.dataset.records || '[]')) fields.push(['id', r]);
      await post('/submissions/delete', fields);
      return {ids: [id], focus: id, action: 'mark', done: '“' + titleOf(tr) + '” is no longer recorded as in the ' + program + ' portal.'};
    }),
    edit: (tr, id, b) => openEdit(tr, id, b),
    merge: (tr, id) => openMerge(tr, id),
  };

  // The edit form: filled from the row's values; only what changed is sent.
  const editDialog = doc.getElementById('edit-dialog');
  const editForm = doc.getElementById('edit-form');
  let editing = null;
  const fieldsOf = () => [
    ['title', doc.getElementById('f-title')], ['date', doc.getElementById('f-date')],
    ['type', doc.getElementById('f-type')], ['area', doc.getElementById('f-area')],
    ['reach', doc.getElementById('f-reach')], ['quantity', doc.getElementById('f-quantity')],
    ...Array.from(editForm.querySelectorAll('input[data-count]')).map(i => ['set:' + i.dataset.count, i]),
  ];
  function openEdit(tr, id, b) {
    const counts = JSON.parse(b.dataset.counts || '{}');
    const values = {title: b.dataset.title, date: b.dataset.date, type: b.dataset.type, area: b.dataset.area,
      reach: b.dataset.reach, quantity: b.dataset.quantity};
    const type = doc.getElementById('f-type');
    if (values.type && !Array.from(type.options).some(o => o.value === values.type)) {
      type.add(new Option(values.type, values.type));
    }
    const initial = new Map();
    for (const [name, input] of fieldsOf()) {
      const v = name.startsWith('set:') ? (counts[name.slice(4)] ?? '') : (values[name] ?? '');
      input.value = String(v);
      initial.set(name, input.value);
    }
    doc.getElementById('edit-which').textContent = '“' + titleOf(tr) + '”';
    editing = {tr, id, initial};
    editDialog.showModal();
  }
  editForm.addEventListener('submit', e => {
    e.preventDefault();
    const {tr, id, initial} = editing;
    const fields = [];
    for (const [name, input] of fieldsOf()) {
      const v = input.value.trim();
      if (v === initial.get(name)) continue;
      if (name.startsWith('set:')) fields.push(['set', name.slice(4) + '=' + v]);
      else fields.push([name, v]);
    }
    editDialog.close();
    if (fields.length === 0) {
      say('Nothing changed.');
      return;
    }
    run(tr, 'Saving “' + titleOf(tr) + '”', async () => ({
      ids: await edit(id, fields), focus: id, action: 'edit', done: 'Saved “' + titleOf(tr) + '”.'}));
  });

  // The merge form: any other row of the table.
  const mergeDialog = doc.getElementById('merge-dialog');
  const mergeForm = doc.getElementById('merge-form');
  const mergeSelect = doc.getElementById('f-merge');
  let merging = null;
  function openMerge(tr, id) {
    mergeSelect.replaceChildren();
    for (const other of Array.from(table().tBodies[0].rows)) {
      if (other === tr) continue;
      const date = other.cells[0].textContent.trim();
      mergeSelect.add(new Option(date + ' — ' + titleOf(other) + ' (' + other.dataset.id + ')', other.dataset.id));
    }
    doc.getElementById('merge-which').textContent = '“' + titleOf(tr) + '”';
    merging = {tr, id};
    mergeDialog.showModal();
  }
  mergeForm.addEventListener('submit', e => {
    e.preventDefault();
    const {tr, id} = merging;
    const other = mergeSelect.value;
    mergeDialog.close();
    if (!other) return;
    const otherTitle = titleOf(rowOf(other));
    run(tr, 'Merging “' + otherTitle + '” into “' + titleOf(tr) + '”', async () => ({
      ids: await edit(id, [['merge', other]], [other]), focus: id, action: 'merge',
      done: 'Merged “' + otherTitle + '” into “' + titleOf(tr) + '”.'}));
  });

  for (const d of [editDialog, mergeDialog]) {
    d.querySelector('[data-close]').addEventListener('click', () => d.close());
  }

  // One listener for every row's buttons, those redrawn included.
  doc.getElementById('contributions').parentElement.addEventListener('click', e => {
    const b = e.target.closest('#contributions button[data-action]');
    if (!b) return;
    const tr = b.closest('tr');
    const act = actions[b.dataset.action];
    if (tr && act) act(tr, tr.dataset.id, b);
  });
})();
