import { WEB_PATHS, basketQuery, type CheckoutSummaryDto, type HomeDto, type OrderDetailsDto, type WebSessionDto } from '@edge/contracts-web';
import { api, ApiProblem, SignedOut, type ApiAnswer } from './api.js';
import { Basket } from './basket.js';
import { byId, fill, h, show } from './dom.js';
import { formatDate, formatMoney, unavailableNotice } from './format.js';

const basket = new Basket();
/** One Idempotency-Key per basket content: a retried "Place order" cannot order twice. */
let checkoutKey: { basket: string; key: string } | undefined;

function setBusy(busy: boolean): void {
  document.body.toggleAttribute('aria-busy', busy);
}

function showError(message: string | undefined): void {
  fill('error', message ?? '');
  show('error', message !== undefined);
}

function showNotice(answers: ApiAnswer<unknown>[]): void {
  const notice = unavailableNotice(answers.flatMap((a) => a.warnings));
  fill('notice', notice ?? '');
  show('notice', notice !== undefined);
}

function signedOut(): void {
  show('app', false);
  show('user', false);
  show('signed-out', true);
  const login = byId<HTMLAnchorElement>('login');
  login.href = `${WEB_PATHS.login}?returnTo=${encodeURIComponent(location.pathname)}`;
}

function renderHome(home: HomeDto): void {
  fill('profile', h('h2', {}, home.profile.name), h('p', {}, home.profile.email), h('p', { class: 'muted' }, `${home.profile.tier} customer · ${home.profile.tenant}`));
  fill(
    'orders',
    ...(home.recentOrders.length === 0
      ? [h('li', { class: 'muted' }, 'No orders yet.')]
      : home.recentOrders.map((o) =>
          h('li', { 'data-order': o.id }, h('span', { class: 'id' }, o.id), ` · ${o.status} · ${formatDate(o.createdAt)} · ${o.itemCount} item(s) · `, h('strong', {}, formatMoney(o.total))),
        )),
  );
  if (home.recommendations === null) {
    fill('recommendations', h('li', { class: 'muted' }, 'Recommendations are unavailable right now.'));
    return;
  }
  fill(
    'recommendations',
    ...home.recommendations.map((r) => {
      const add = h('button', { type: 'button', 'data-product': r.productId }, 'Add to basket');
      add.addEventListener('click', () => {
        basket.add(r.productId);
        renderBasket();
      });
      return h('li', {}, h('strong', {}, r.name ?? r.productId), r.price ? ` · ${formatMoney(r.price)}` : '', h('span', { class: 'muted' }, ` — ${r.reason}`), ' ', add);
    }),
  );
}

function renderBasket(): void {
  fill('basket-items', ...basket.lines().map((l) => h('li', { 'data-basket': l.productId }, `${l.productId} × ${l.quantity}`)));
  byId<HTMLButtonElement>('checkout').disabled = basket.size === 0;
  show('summary', false);
}

function renderSummary(summary: CheckoutSummaryDto): void {
  const a = summary.deliveryAddress;
  fill(
    'summary-lines',
    ...summary.lines.map((l) => h('li', {}, `${l.name} × ${l.quantity} · ${formatMoney(l.lineTotal)}`)),
    h('li', { class: 'total' }, 'Total ', h('strong', { id: 'summary-total' }, formatMoney(summary.total))),
  );
  fill('summary-address', `${a.name}, ${a.line1}, ${a.postalCode} ${a.city}, ${a.country}`);
  show('summary', true);
}

function renderConfirmation(order: OrderDetailsDto): void {
  fill(
    'confirmation',
    h('h3', {}, 'Order placed'),
    h('p', {}, 'Order ', h('strong', { id: 'confirmation-id' }, order.id), ` · ${order.status} · ${formatMoney(order.total)}`),
    h('ul', {}, ...order.lines.map((l) => h('li', {}, `${l.name ?? l.productId} × ${l.quantity}`))),
  );
  show('confirmation', true);
}

async function guarded(work: () => Promise<void>): Promise<void> {
  setBusy(true);
  showError(undefined);
  try {
    await work();
  } catch (error) {
    if (error instanceof SignedOut) signedOut();
    else if (error instanceof ApiProblem) showError(`${error.title}${error.detail ? `: ${error.detail}` : ''}`);
    else showError('Something went wrong; try again.');
  } finally {
    setBusy(false);
  }
}

async function loadHome(): Promise<void> {
  const home = await api<HomeDto>(WEB_PATHS.home);
  renderHome(home.body);
  showNotice([home]);
}

async function checkout(): Promise<void> {
  const summary = await api<CheckoutSummaryDto>(`${WEB_PATHS.checkoutSummary}?${basketQuery(basket.lines())}`);
  renderSummary(summary.body);
  showNotice([summary]);
}

async function placeOrder(): Promise<void> {
  const fingerprint = basket.fingerprint();
  if (checkoutKey?.basket !== fingerprint) checkoutKey = { basket: fingerprint, key: crypto.randomUUID() };
  const placed = await api<OrderDetailsDto>(WEB_PATHS.checkout, { method: 'POST', body: { items: basket.lines() }, idempotencyKey: checkoutKey.key });
  renderConfirmation(placed.body);
  basket.clear();
  checkoutKey = undefined;
  renderBasket();
  await loadHome();
}

async function start(): Promise<void> {
  byId('checkout').addEventListener('click', () => void guarded(checkout));
  byId('place-order').addEventListener('click', () => void guarded(placeOrder));
  await guarded(async () => {
    const session = await api<WebSessionDto>(WEB_PATHS.session);
    if (!session.body.authenticated) {
      signedOut();
      return;
    }
    fill('user-name', session.body.user.name ?? session.body.user.sub);
    byId<HTMLFormElement>('logout-form').action = session.body.logoutUrl;
    show('signed-out', false);
    show('user', true);
    show('app', true);
    renderBasket();
    await loadHome();
  });
  document.body.dataset['ready'] = 'true';
}

void start();
