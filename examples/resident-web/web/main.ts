import { graphqlClient, GraphqlRequestError } from './client';
import {
  MarkAllNotificationsReadDocument,
  NotificationsDocument,
  OpportunitiesDocument,
  ResidentDocument,
  SignInDocument,
  SignUpForShiftDocument,
  type OpportunitiesQuery,
  type PointsTier,
  type SignUpForShiftMutation,
} from './gql/graphql';
import { openNotificationStream, type StreamedNotification } from './notification-stream';

type Opportunity = OpportunitiesQuery['opportunities']['edges'][number]['node'];
type Shift = Opportunity['shifts'][number];

const TIER_NAMES: Record<PointsTier, string> = {
  VOLUNTEER: '志愿者',
  ACTIVIST: '积极分子',
  BACKBONE: '骨干',
  LEADER: '领袖',
};

/** The server of this page writes the gateway's URL into a meta tag, so one build serves any deployment. */
const gatewayUrl =
  document.querySelector<HTMLMetaElement>('meta[name="taoyuan-gateway"]')?.content ?? 'http://127.0.0.1:4000/graphql';
const streamUrl = new URL('/notifications/stream', gatewayUrl).toString();

let accessToken: string | undefined;
let stream: { close(): void } | undefined;
const client = graphqlClient(gatewayUrl, () => accessToken);

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const messageOf = (error: unknown) =>
  error instanceof GraphqlRequestError ? error.message : '网络连接失败，请稍后再试';

function shiftTime(shift: Shift): string {
  const day = new Intl.DateTimeFormat('zh-CN', {
    timeZone: shift.timeZone,
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(shift.startsAt));
  const end = new Intl.DateTimeFormat('zh-CN', {
    timeZone: shift.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(shift.endsAt));
  return `${day}–${end}`;
}

async function showResident(): Promise<void> {
  const { me } = await client.request(ResidentDocument, {});
  const account = me.pointsAccount;
  element('greeting').textContent = `${me.displayName}，您好（${me.community.name}）`;
  element('points-balance').textContent = String(account.balance);
  element('points-tier').textContent = TIER_NAMES[account.tier];
  element('points-next').textContent =
    account.nextTier && account.pointsToNextTier !== null
      ? `还差 ${account.pointsToNextTier} 分成为${TIER_NAMES[account.nextTier]}`
      : '已是最高等级';
}

function signedUpText(signUp: SignUpForShiftMutation['signUp']): string {
  return signUp.status === 'WAITLISTED' ? `已候补（第 ${signUp.waitlistPosition ?? '?'} 位）` : '已报名';
}

function renderShift(shift: Shift): HTMLLIElement {
  const row = make('li', undefined, 'shift');
  const spots = make('span', `剩余 ${shift.spotsLeft} 个名额`, 'muted');
  row.append(make('span', shiftTime(shift)), spots);
  const button = make('button', '报名');
  button.type = 'button';
  button.addEventListener('click', () => {
    button.disabled = true;
    element('opportunity-error').textContent = '';
    client.request(SignUpForShiftDocument, { shiftId: shift.id }).then(
      ({ signUp }) => {
        spots.textContent = `剩余 ${signUp.shift.spotsLeft} 个名额`;
        button.replaceWith(make('strong', signedUpText(signUp)));
      },
      (error: unknown) => {
        button.disabled = false;
        element('opportunity-error').textContent = messageOf(error);
      },
    );
  });
  row.append(button);
  return row;
}

async function showOpportunities(): Promise<void> {
  const { opportunities } = await client.request(OpportunitiesDocument, {});
  const list = element('opportunity-list');
  list.replaceChildren();
  for (const { node } of opportunities.edges) {
    const upcoming = node.shifts.filter((shift) => new Date(shift.startsAt).getTime() > Date.now());
    if (upcoming.length === 0) continue;
    const item = make('li');
    item.append(make('h3', node.title), make('p', `集合地点：${node.location}`, 'muted'));
    const shifts = make('ul');
    shifts.append(...upcoming.map(renderShift));
    item.append(shifts);
    list.append(item);
  }
  if (list.childElementCount === 0) list.append(make('li', '近期没有可报名的项目', 'muted'));
}

const shownNotifications = new Set<string>();
let unread = 0;

function showUnread(count: number): void {
  unread = count;
  element('unread-count').textContent = `${count} 条未读`;
  element('mark-all-read').hidden = count === 0;
}

function showNotification(notification: StreamedNotification, fresh: boolean): void {
  if (shownNotifications.has(notification.id)) return;
  shownNotifications.add(notification.id);
  element('no-notifications').hidden = true;
  const item = make('li', undefined, fresh ? 'fresh' : undefined);
  item.dataset.kind = notification.kind;
  if (!notification.read) item.classList.add('unread');
  // A live one is new to the resident: the count the list was read with does not hold it yet.
  if (fresh && !notification.read) showUnread(unread + 1);
  const time = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(notification.createdAt),
  );
  item.append(make('strong', notification.title), make('p', notification.body), make('span', time, 'muted'));
  element('notification-list').prepend(item);
}

/**
 * The latest notifications from GraphQL, then the live stream from just after the newest of them: the stream's
 * replay and the list never overlap, and whatever arrives is new.
 */
async function startNotifications(): Promise<void> {
  stream?.close();
  const { me } = await client.request(NotificationsDocument, {});
  showUnread(me.unreadNotificationCount);
  const nodes = me.notifications.edges.map((edge) => edge.node);
  for (const node of [...nodes].reverse()) showNotification(node, false);
  const newest = Math.max(0, ...nodes.map((node) => node.sequence));
  stream = openNotificationStream({
    url: streamUrl,
    token: () => accessToken,
    lastEventId: String(newest),
    onNotification: (notification) => showNotification(notification, true),
    onStateChange: (state) => {
      element('stream-state').textContent = state === 'open' ? '（实时）' : '（正在重新连接…）';
    },
  });
}

function showSignedIn(signedIn: boolean): void {
  element('sign-in').hidden = signedIn;
  for (const id of ['resident', 'notifications', 'opportunities', 'sign-out']) element(id).hidden = !signedIn;
}

element<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
  const error = element('sign-in-error');
  error.textContent = '';
  client
    .request(SignInDocument, { phone: field('phone').trim(), password: field('password') })
    .then(async ({ login }) => {
      accessToken = login.accessToken;
      showSignedIn(true);
      await Promise.all([showResident(), showOpportunities(), startNotifications()]);
    })
    .catch((failure: unknown) => {
      error.textContent = messageOf(failure);
    });
});

element('mark-all-read').addEventListener('click', () => {
  const button = element<HTMLButtonElement>('mark-all-read');
  button.disabled = true;
  client.request(MarkAllNotificationsReadDocument, {}).then(
    () => {
      button.disabled = false;
      showUnread(0);
      for (const item of element('notification-list').querySelectorAll('li.unread')) item.classList.remove('unread');
    },
    (error: unknown) => {
      button.disabled = false;
      element('unread-count').textContent = messageOf(error);
    },
  );
});

element('sign-out').addEventListener('click', () => {
  stream?.close();
  accessToken = undefined;
  shownNotifications.clear();
  element('notification-list').replaceChildren();
  element('no-notifications').hidden = false;
  showSignedIn(false);
});
