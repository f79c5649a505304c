// Sends the operation in the text area to /graphql and shows the response.
const result = document.getElementById('result');
document.getElementById('run').addEventListener('click', async () => {
  result.textContent = '…';
  let variables;
  try {
    variables = JSON.parse(document.getElementById('variables').value || '{}');
  } catch {
    result.textContent = 'Variables are not valid JSON.';
    return;
  }
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document.getElementById('query').value, variables }),
  });
  result.textContent = `${response.status}\n${JSON.stringify(await response.json(), null, 2)}`;
});
