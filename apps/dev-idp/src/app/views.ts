/**
 * The few HTML pages dev-idp shows: login, logout confirmation, signed-out, error. Plain
 * HTML with no external resources (works offline, nothing for a browser test to wait for).
 * Every interpolated value goes through `escapeHtml`.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}' +
  'label,input,button{display:block;width:100%;box-sizing:border-box;margin:.3rem 0}' +
  'input,button{padding:.5rem;font-size:1rem}.error{color:#b00020}.hint{color:#555;font-size:.9rem}';

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
${body}
</body>
</html>
`;
}

export interface LoginPageOptions {
  uid: string;
  clientName: string;
  login?: string;
  error?: string;
}

/** The login form: inputs named `login` and `password` (DESIGN.md §3), POSTed to /interaction/:uid/login. */
export function loginPage(options: LoginPageOptions): string {
  const uid = encodeURIComponent(options.uid);
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return page(
    'Sign in — dev-idp',
    `<h1>Sign in</h1>
<p>to <strong>${escapeHtml(options.clientName)}</strong></p>
${error}<form method="post" action="/interaction/${uid}/login" autocomplete="off">
<label for="login">Username</label>
<input id="login" name="login" type="text" value="${escapeHtml(options.login ?? '')}" autofocus required>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
<p><a href="/interaction/${uid}/abort">Cancel</a></p>
<p class="hint">Development identities: alice, bob (acme), carol (globex); password <code>password</code>.</p>`,
  );
}

/**
 * RP-initiated logout confirmation. First-party dev clients: the form submits itself (the
 * button is there for browsers without JavaScript). `form` is oidc-provider's own markup.
 */
export function logoutPage(form: string): string {
  return page(
    'Sign out — dev-idp',
    `<h1>Signing out…</h1>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<button type="submit" form="op.logoutForm">Sign out</button>
<script>document.getElementById('op.logoutForm').submit()</script>`,
  );
}

export function signedOutPage(clientName: string | undefined): string {
  return page('Signed out — dev-idp', `<h1>Signed out</h1><p>You have signed out${clientName ? ` of ${escapeHtml(clientName)}` : ''}.</p>`);
}

/** OAuth errors shown to a browser (bad redirect_uri, unknown client...): code and description only. */
export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Error — dev-idp',
    `<h1>Sign-in error</h1><p><strong>${escapeHtml(error)}</strong></p>${description ? `<p>${escapeHtml(description)}</p>` : ''}`,
  );
}
