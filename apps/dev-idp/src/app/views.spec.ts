import { errorPage, escapeHtml, loginPage, logoutPage } from './views';

describe('views', () => {
  it('escapes everything it interpolates', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    const html = loginPage({ uid: 'u1', clientName: '<b>Evil</b>', login: '"><script>alert(1)</script>', error: 'Wrong username or password.' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Evil</b>');
    expect(errorPage('<x>', '<y>')).not.toMatch(/<x>|<y>/);
  });

  it('renders the login form contract: POST with inputs login and password', () => {
    const html = loginPage({ uid: 'abc_-1', clientName: 'Mobile app' });
    expect(html).toMatch(/<form method="post" action="\/interaction\/abc_-1\/login"/);
    expect(html).toMatch(/<input id="login" name="login" type="text"/);
    expect(html).toMatch(/<input id="password" name="password" type="password"/);
    expect(html).not.toMatch(/class="error"/);
  });

  it('confirms the logout itself by adding logout=yes to the provider form', () => {
    const html = logoutPage('<form id="op.logoutForm" method="post" action="/session/end/confirm"><input type="hidden" name="xsrf" value="s"/></form>');
    expect(html).toContain('<input type="hidden" name="logout" value="yes"></form>');
    expect(html).toContain("document.getElementById('op.logoutForm').submit()");
  });
});
