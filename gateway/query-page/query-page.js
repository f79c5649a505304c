// The query page: sends the operation to /graphql with the session cookie, shows who is logged in, logs out.
const result = document.getElementById('result');
const who = document.getElementById('who');
const actFor = document.getElementById('actFor');

async function graphql(query, variables) {
  const headers = { 'content-type': 'application/json' };
  if (actFor.value.trim()) headers['fiks-act-for'] = actFor.value.trim();
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

async function showWho() {
  const { body } = await graphql('{ me { kind acr actingFor { orgnr roles } } }', {});
  const me = body.data && body.data.me;
  who.textContent = me
    ? `Innlogget (${me.acr}${me.actingFor ? `, for ${me.actingFor.orgnr}: ${me.actingFor.roles.join(', ')}` : ''})`
    : 'Ikke innlogget';
}

document.getElementById('run').addEventListener('click', async () => {
  result.textContent = '…';
  let variables;
  try {
    variables = JSON.parse(document.getElementById('variables').value || '{}');
  } catch {
    result.textContent = 'Variables are not valid JSON.';
    return;
  }
  const { status, body } = await graphql(document.getElementById('query').value, variables);
  result.textContent = `${status}\n${JSON.stringify(body, null, 2)}`;
});

document.getElementById('logout').addEventListener('click', async () => {
  const response = await fetch('/auth/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { endSessionUrl } = await response.json();
  // End the login at ID-porten too; it comes back to this page.
  if (endSessionUrl) window.location.assign(endSessionUrl);
  else void showWho();
});

actFor.addEventListener('change', () => void showWho());
void showWho();
