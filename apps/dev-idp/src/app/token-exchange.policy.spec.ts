import { checkTokenTypes, exchangedScope, resolveTarget } from './token-exchange.policy';
import { resourceByAudience } from './resource-servers';

const orders = resourceByAudience('orders-api');
if (!orders) throw new Error('orders-api resource missing');

describe('token exchange policy', () => {
  describe('resolveTarget', () => {
    it('finds the API by resource indicator or by audience, and both must agree', () => {
      expect(resolveTarget({ resource: 'urn:orders-api' }).audience).toBe('orders-api');
      expect(resolveTarget({ audience: 'catalog-api' }).indicator).toBe('urn:catalog-api');
      expect(resolveTarget({ resource: 'urn:orders-api', audience: 'orders-api' }).audience).toBe('orders-api');
      expect(() => resolveTarget({ resource: 'urn:orders-api', audience: 'catalog-api' })).toThrow(expect.objectContaining({ error: 'invalid_target' }));
    });

    it('refuses no target, unknown targets, several targets and edge-api itself', () => {
      for (const params of [{}, { resource: 'urn:nope' }, { audience: 'nope' }, { resource: ['urn:orders-api', 'urn:catalog-api'] }, { audience: 'edge-api' }, { resource: 'urn:edge-api' }]) {
        expect(() => resolveTarget(params)).toThrow(expect.objectContaining({ error: 'invalid_target', statusCode: 400 }));
      }
    });
  });

  describe('checkTokenTypes', () => {
    const ok = { subject_token: 'x', subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' };
    it('accepts access tokens (and the jwt type) as subjects', () => {
      expect(() => checkTokenTypes(ok)).not.toThrow();
      expect(() => checkTokenTypes({ ...ok, subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' })).not.toThrow();
      expect(() => checkTokenTypes({ ...ok, requested_token_type: 'urn:ietf:params:oauth:token-type:access_token' })).not.toThrow();
    });
    it('refuses missing or other token types and actor tokens', () => {
      for (const params of [
        { subject_token_type: ok.subject_token_type },
        { subject_token: 'x' },
        { ...ok, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
        { ...ok, requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' },
        { ...ok, actor_token: 'y' },
      ]) {
        expect(() => checkTokenTypes(params)).toThrow(expect.objectContaining({ error: 'invalid_request' }));
      }
    });
  });

  describe('exchangedScope', () => {
    const held = 'catalog:read orders:read orders:write profile:read';
    it('defaults to what the subject holds and the target understands', () => {
      expect(exchangedScope(undefined, held, orders)).toEqual(['orders:read', 'orders:write']);
      expect(exchangedScope('', 'orders:read catalog:read', orders)).toEqual(['orders:read']);
    });
    it('narrows to the requested scopes (duplicates collapse)', () => {
      expect(exchangedScope('orders:read orders:read', held, orders)).toEqual(['orders:read']);
    });
    it('refuses a scope outside the subject or the target, naming it', () => {
      expect(() => exchangedScope('orders:write', 'orders:read', orders)).toThrow(expect.objectContaining({ error: 'invalid_scope', scope: 'orders:write' }));
      expect(() => exchangedScope('orders:read catalog:read', held, orders)).toThrow(expect.objectContaining({ error: 'invalid_scope', scope: 'catalog:read' }));
    });
    it('refuses when nothing would be left', () => {
      expect(() => exchangedScope(undefined, 'catalog:read', orders)).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
      expect(() => exchangedScope(undefined, undefined, orders)).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
    });
  });
});
