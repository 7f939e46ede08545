// A signed-in client for an account without going through a login form: a session row as
// session.ts writes it (HMAC of the cookie token) with the chosen sign-in method. Tests use
// it for ЕСИА sessions where the sign-in flow itself is not what is tested.
import { hmac, randomToken, SESSION_COOKIE, type AuthMethod } from '../../src/server/modules/session/session.js';
import { sessions } from '../../src/server/db/schema.js';
import type { TestClient } from '../support/client.js';
import type { TestContext } from '../support/context.js';

export async function clientWithSession(
  t: TestContext,
  accountId: string,
  authMethod: AuthMethod,
): Promise<TestClient> {
  const token = randomToken();
  await t.ctx.db.insert(sessions).values({
    idHash: hmac(t.config.sessionSecret, token),
    accountId,
    authMethod,
    expiresAt: new Date(t.ctx.now().getTime() + 86_400_000),
  });
  const client = t.client();
  client.cookies.set(SESSION_COOKIE, token);
  return client;
}
