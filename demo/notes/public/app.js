// Fieldnotes' browser side: a header button opens the sign-in dialog; the token goes to localStorage and every API call sends it as a bearer.
const TOKEN_KEY = 'fieldnotes.token';
const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
  const token = localStorage.getItem(TOKEN_KEY);
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = response.status === 204 ? null : await response.json();
  return { status: response.status, data };
}

function renderSignedOut() {
  $('account').replaceChildren(
    Object.assign(document.createElement('button'), { type: 'button', id: 'open-sign-in', textContent: 'Sign in' }),
  );
  $('open-sign-in').addEventListener('click', openDialog);
  $('signed-out').hidden = false;
  $('notes').hidden = true;
}

async function renderSignedIn(email) {
  const who = Object.assign(document.createElement('span'), { textContent: `Signed in as ${email}` });
  const out = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Sign out' });
  out.addEventListener('click', async () => {
    await call('DELETE', '/api/session');
    localStorage.removeItem(TOKEN_KEY);
    renderSignedOut();
  });
  $('account').replaceChildren(who, out);
  $('signed-out').hidden = true;
  const { status, data } = await call('GET', '/api/notes');
  const list = $('note-list');
  if (status !== 200) {
    list.replaceChildren(Object.assign(document.createElement('li'), { role: 'alert', textContent: 'Your notes could not be loaded.' }));
  } else {
    list.replaceChildren(...data.notes.map((n) => Object.assign(document.createElement('li'), { textContent: n.title })));
  }
  $('notes').hidden = false;
}

function openDialog() {
  $('login-failed').hidden = true;
  $('sign-in-dialog').showModal();
}

async function signIn(event) {
  event.preventDefault();
  const email = $('email').value;
  const { status, data } = await call('POST', '/api/session', { email, password: $('password').value });
  $('password').value = '';
  if (status !== 200) {
    $('login-failed').hidden = false;
    return;
  }
  localStorage.setItem(TOKEN_KEY, data.token);
  $('sign-in-dialog').close();
  await renderSignedIn(data.user.email);
}

async function start() {
  $('open-sign-in').addEventListener('click', openDialog);
  $('cancel-sign-in').addEventListener('click', () => $('sign-in-dialog').close());
  $('sign-in-form').addEventListener('submit', signIn);
  $('new-note').addEventListener('submit', async (event) => {
    event.preventDefault();
    await call('POST', '/api/notes', { title: $('note-title').value });
    $('note-title').value = '';
    await renderSignedIn((await call('GET', '/api/me')).data.email);
  });
  // Before sign-in this answers 401, as many SPAs' "who am I?" call does.
  const me = await call('GET', '/api/me');
  if (me.status === 200) await renderSignedIn(me.data.email);
  else renderSignedOut();
}

start();
