import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MOBILE_PAYLOAD_BUDGETS } from '@edge/contracts-mobile';
import { HomeController } from './home/home.controller';
import { OrdersController } from './orders/orders.controller';
import { ProductsController } from './products/products.controller';

/** Convention: every mobile route declares a payload budget, and every budget names a route. */
describe('mobile routes', () => {
  it('each have a payload budget in the contract, and nothing else does', () => {
    const routes: string[] = [];
    for (const controller of [HomeController, OrdersController, ProductsController]) {
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      const prototype = controller.prototype as unknown as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        routes.push(`${method} /${base}/${path}`);
      }
    }
    expect(routes.sort()).toEqual(Object.keys(MOBILE_PAYLOAD_BUDGETS).sort());
  });
});
