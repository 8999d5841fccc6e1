/** Injection token of the frozen PartnerSettings. */
export const PARTNER_SETTINGS = Symbol('PARTNER_SETTINGS');
