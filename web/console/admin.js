/*
 * console/admin.js — 用户: accounts for admins. Users (GET/POST /api/v1/users, disable), API keys
 * for partner systems (GET/POST /api/v1/apikeys; a new key is shown once, with a copy button;
 * DELETE revokes it) and organisations (GET/POST /api/v1/orgs; only the centre's admin may add).
 * Password strength is judged by the server; its 422 message is shown next to the form.
 */

import { apiDelete, apiGet, apiPost } from '../shared/api.js';
import { copyText, h, mount } from '../shared/dom.js';
import { endOfBeijingDay, enumSelect, field, label, notice, session, t, table, when } from './util.js';

export function render(view) {
  const msg = notice();
  const state = { orgs: [] };
  const users = h('section', { class: 'c-card', 'aria-labelledby': 'ad-users-h' });
  const keys = h('section', { class: 'c-card', 'aria-labelledby': 'ad-keys-h' });
  const orgs = h('section', { class: 'c-card', 'aria-labelledby': 'ad-orgs-h' });
  mount(view, h('h1', {}, t('nav_admin')), msg, users, keys, orgs);
  const reload = async () => {
    try {
      state.orgs = (await apiGet('/api/v1/orgs')).items || [];
    } catch (err) {
      msg.error(err);
    }
    drawUsers(users, state, msg, reload);
    drawKeys(keys, state, msg, reload);
    drawOrgs(orgs, state, reload);
  };
  msg.onRefresh = reload;
  reload();
}

function orgName(state, id) {
  const o = state.orgs.find((x) => x.id === id);
  return o ? o.name : id === null || id === undefined ? '—' : `#${id}`;
}

function orgSelect(state, testid) {
  return h('select', { name: 'org_id', 'data-testid': testid },
    h('option', { value: '' }, '—'),
    state.orgs.map((o) => h('option', { value: String(o.id) }, o.name)));
}

async function drawUsers(box, state, msg, reload) {
  mount(box, h('h2', { id: 'ad-users-h' }, t('ad_users')), h('p', { class: 'c-muted' }, t('loading')));
  let items = [];
  try {
    items = (await apiGet('/api/v1/users')).items || [];
  } catch (err) {
    msg.error(err);
  }
  const rows = items.map((u) => {
    let state2 = 'active';
    if (u.disabled_at) state2 = 'disabled';
    else if (u.locked_until && Date.parse(u.locked_until) > Date.now()) state2 = 'locked';
    return h('tr', { 'data-testid': 'user-row', 'data-id': String(u.id) },
      h('td', {}, String(u.id)),
      h('td', {}, u.name),
      h('td', {}, label('role', u.role)),
      h('td', {}, orgName(state, u.org_id)),
      h('td', { class: 'c-nowrap' }, when(u.created_at)),
      h('td', { class: 'c-nowrap' }, when(u.last_login_at)),
      h('td', {}, h('span', { class: `c-badge c-badge-user-${state2}` }, t(`ad_${state2}`))),
      h('td', {}, u.disabled_at || u.id === session.user.user_id ? '—' : h('button', {
        type: 'button', class: 'c-btn c-btn-small c-btn-danger', 'data-testid': 'user-disable',
        onclick: async () => {
          if (!window.confirm(t('ad_confirm_disable', { name: u.name }))) return;
          try {
            await apiPost(`/api/v1/users/${u.id}/disable`, {});
            msg.show('ok', t('ad_done'));
            reload();
          } catch (err) {
            msg.error(err);
          }
        },
      }, t('ad_disable'))));
  });

  const fmsg = notice();
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '64', autocomplete: 'off', 'data-testid': 'user-name' });
  const password = h('input', { type: 'password', name: 'password', required: true, maxlength: '1024', autocomplete: 'new-password', 'data-testid': 'user-password' });
  const role = enumSelect('role', 'analyst', { name: 'role', testid: 'user-role' });
  const org = orgSelect(state, 'user-org');
  const form = h('form', { class: 'c-form', 'aria-label': t('ad_add_user'), novalidate: true },
    h('h3', {}, t('ad_add_user')), fmsg,
    h('div', { class: 'c-form-grid' },
      field(t('ad_name'), name).wrap, field(t('ad_password'), password).wrap,
      field(t('ad_role'), role).wrap, field(t('ad_org'), org).wrap),
    h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'user-submit' }, t('ad_add_user')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!name.value.trim() || !password.value) {
      fmsg.show('error', t('field_required'));
      return;
    }
    const body = { name: name.value.trim(), password: password.value, role: role.value };
    if (org.value) body.org_id = Number(org.value);
    try {
      await apiPost('/api/v1/users', body);
      password.value = '';
      name.value = '';
      fmsg.show('ok', t('ad_done'));
      reload();
    } catch (err) {
      fmsg.error(err);
      if (err.field === 'password') password.focus();
    }
  });
  mount(box, h('h2', { id: 'ad-users-h' }, t('ad_users')),
    table([t('col_id'), t('ad_name'), t('ad_role'), t('ad_org'), t('ad_created'), t('ad_last_login'), t('ad_state'), t('rw_col_actions')],
      rows, { testid: 'users-table', 'aria-label': t('ad_users_list') }),
    form);
}

/* Draws the key table and form; `newKey`, right after a creation, is shown once above the form. */
async function drawKeys(box, state, msg, reload, newKey) {
  mount(box, h('h2', { id: 'ad-keys-h' }, t('ad_keys')), h('p', { class: 'c-muted' }, t('loading')));
  let items = [];
  try {
    items = (await apiGet('/api/v1/apikeys')).items || [];
  } catch (err) {
    msg.error(err);
  }
  const rows = items.map((k) => h('tr', { 'data-testid': 'apikey-row', 'data-id': String(k.id) },
    h('td', {}, String(k.id)),
    h('td', {}, k.name),
    h('td', {}, h('code', {}, `fzk_${k.public_id}_…`)),
    h('td', {}, label('role', k.role)),
    h('td', {}, orgName(state, k.org_id)),
    h('td', { class: 'c-nowrap' }, when(k.created_at)),
    h('td', { class: 'c-nowrap' }, when(k.expires_at)),
    h('td', { class: 'c-nowrap' }, when(k.last_used_at)),
    h('td', {}, k.revoked_at
      ? h('span', { class: 'c-badge c-badge-user-disabled' }, t('ad_revoked'))
      : h('button', {
        type: 'button', class: 'c-btn c-btn-small c-btn-danger', 'data-testid': 'apikey-revoke',
        onclick: async () => {
          if (!window.confirm(t('ad_confirm_revoke', { name: k.name }))) return;
          try {
            await apiDelete(`/api/v1/apikeys/${k.id}`);
            msg.show('ok', t('ad_done'));
            reload();
          } catch (err) {
            msg.error(err);
          }
        },
      }, t('ad_revoke')))));

  const fmsg = notice();
  const shown = h('div', { class: 'c-key-once', hidden: true, 'data-testid': 'apikey-new' });
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '64', 'data-testid': 'apikey-name' });
  const role = enumSelect('role', 'partner', { name: 'role', testid: 'apikey-role' });
  const org = orgSelect(state, 'apikey-org');
  const expires = h('input', { type: 'date', name: 'expires' });
  const form = h('form', { class: 'c-form', 'aria-label': t('ad_add_key'), novalidate: true },
    h('h3', {}, t('ad_add_key')), fmsg, shown,
    h('div', { class: 'c-form-grid' },
      field(t('ad_name'), name).wrap, field(t('ad_role'), role).wrap,
      field(t('ad_org'), org).wrap, field(t('ad_expires'), expires).wrap),
    h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'apikey-submit' }, t('ad_add_key')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!name.value.trim()) {
      fmsg.show('error', t('field_required'));
      name.focus();
      return;
    }
    const body = { name: name.value.trim(), role: role.value };
    if (org.value) body.org_id = Number(org.value);
    const exp = endOfBeijingDay(expires.value);
    if (exp !== null) body.expires_ms = exp;
    try {
      const res = await apiPost('/api/v1/apikeys', body);
      await drawKeys(box, state, msg, reload, res.key);
    } catch (err) {
      fmsg.error(err);
    }
  });
  mount(box, h('h2', { id: 'ad-keys-h' }, t('ad_keys')),
    table([t('col_id'), t('ad_name'), 'ID', t('ad_role'), t('ad_org'), t('ad_created'), t('i_expires'), t('ad_last_used'), t('rw_col_actions')],
      rows, { testid: 'apikeys-table', 'aria-label': t('ad_keys_list') }),
    form);
  if (newKey) {
    showKeyOnce(shown, newKey);
    shown.querySelector('code').focus();
  }
}

function showKeyOnce(box, key) {
  const status = h('span', { class: 'c-muted', role: 'status' });
  const code = h('code', { class: 'c-key', 'data-testid': 'apikey-secret', tabindex: '0' }, key);
  mount(box,
    h('p', {}, t('ad_key_once')),
    h('div', { class: 'c-inline' }, code,
      h('button', {
        type: 'button', class: 'c-btn c-btn-small', 'data-testid': 'apikey-copy',
        onclick: async () => {
          status.textContent = (await copyText(key)) ? t('ad_copied') : t('ad_copy_failed');
        },
      }, t('ad_copy')), status));
  box.hidden = false;
}

function drawOrgs(box, state, reload) {
  const rows = state.orgs.map((o) => h('tr', { 'data-testid': 'org-row', 'data-id': String(o.id) },
    h('td', {}, String(o.id)),
    h('td', {}, o.name),
    h('td', {}, label('org_kind', o.kind)),
    h('td', {}, o.centre ? h('span', { class: 'c-badge c-badge-centre' }, t('yes')) : '—'),
    h('td', { class: 'c-nowrap' }, when(o.created_at))));
  const fmsg = notice();
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '64', 'data-testid': 'org-name' });
  const kind = enumSelect('org_kind', 'police', { name: 'kind', testid: 'org-kind' });
  const centre = h('input', { type: 'checkbox', name: 'centre', id: 'org-centre' });
  const form = h('form', { class: 'c-form', 'aria-label': t('ad_add_org'), novalidate: true },
    h('h3', {}, t('ad_add_org')), fmsg,
    h('div', { class: 'c-form-grid' },
      field(t('ad_name'), name).wrap, field(t('ad_kind'), kind).wrap,
      h('div', { class: 'c-field c-field-check' }, centre, h('label', { for: 'org-centre' }, t('ad_centre')))),
    h('button', { type: 'submit', class: 'c-btn c-btn-primary', 'data-testid': 'org-submit' }, t('ad_add_org')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!name.value.trim()) {
      fmsg.show('error', t('field_required'));
      name.focus();
      return;
    }
    const body = { name: name.value.trim(), kind: kind.value };
    if (centre.checked) body.centre = true;
    try {
      await apiPost('/api/v1/orgs', body);
      name.value = '';
      fmsg.show('ok', t('ad_done'));
      reload();
    } catch (err) {
      fmsg.error(err);
    }
  });
  mount(box, h('h2', { id: 'ad-orgs-h' }, t('ad_orgs')),
    table([t('col_id'), t('ad_name'), t('ad_kind'), t('ad_centre'), t('ad_created')], rows,
      { testid: 'orgs-table', 'aria-label': t('ad_orgs_list') }),
    form);
}
