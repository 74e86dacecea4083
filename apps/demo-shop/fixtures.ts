// The demo shop's `test`: the generic suite's fixtures plus syntheticOrders, which deletes the orders a @writes test placed.
import { test as base } from '../../fixtures/index.ts';
import { ANNOTATION } from '../../scripts/contract.ts';
import { deleteOrder, listOrders } from './shop-api.ts';

export { expect } from '../../fixtures/index.ts';

export interface SyntheticOrders {
  /** Registers an order the test created; it is deleted in teardown (DELETE /api/orders/:id). */
  track(orderId: string): void;
}

export const test = base.extend<{ syntheticOrders: SyntheticOrders }>({
  syntheticOrders: async ({ suite, userRequest, accountLock: _ }, use, testInfo) => {
    if (!suite.env.allowWrites) {
      throw new Error('this test creates orders but AFTERCHECK_ALLOW_WRITES is false; tag it TAG.writes so such runs exclude it');
    }
    // The account's orders before the test, so teardown also finds orders the test made but could not register (e.g. it failed mid-way).
    const before = await listOrders(userRequest).then(
      (orders) => new Set(orders.map((o) => String(o.id))),
      () => undefined,
    );
    const tracked = new Set<string>();
    await use({ track: (id) => void tracked.add(id) });

    const leftovers = before
      ? await listOrders(userRequest).then(
          (orders) => orders.filter((o) => o.synthetic && !before.has(String(o.id))).map((o) => String(o.id)),
          () => [] as string[],
        )
      : [];
    const problems: string[] = [];
    let deleted = 0;
    for (const id of new Set([...tracked, ...leftovers])) {
      const outcome = await deleteOrder(userRequest, id);
      if (outcome.ok) deleted++;
      else {
        problems.push(
          outcome.status === 403
            ? `order ${id} is not marked synthetic (403): the target ignored the ${suite.env.syntheticHeader.name} header, so a real order was created`
            : `order ${id} could not be deleted (${outcome.status})`,
        );
      }
    }
    testInfo.annotations.push({ type: ANNOTATION.syntheticOrdersDeleted, description: String(deleted) });
    if (problems.length) throw new Error(`synthetic data cleanup failed: ${problems.join('; ')}`);
  },
});
