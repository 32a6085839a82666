import { describe, expect, it } from 'vitest';
import { manipulateNumber } from '../../../src/domain/dialplan/manipulation.js';
import { REFERENCE_TENANT, dial, tenantFromYaml } from './fixtures.js';

const tenant = tenantFromYaml(REFERENCE_TENANT);

describe('DOMAIN §4 number manipulation', () => {
  it('order: strip the access code, strip N leading digits, prepend the prefix', () => {
    expect(manipulateNumber('9011441234', { accessCode: '9', strip: 3, prefix: '+' })).toBe('+441234');
    expect(manipulateNumber('5551212', { accessCode: '', strip: 0, prefix: '' })).toBe('5551212');
  });

  it('line 1NXXNXXXXXX! strip 1 prefix +1: dialled 19055551234 → trunk gets +19055551234', () => {
    const d = dial(tenant, '100', '19055551234');
    expect(d).toMatchObject({ action: 'outbound', line: 'longdistance', number: '+19055551234', privacy: false });
  });

  it('line *671NXXNXXXXXX! strip 4 prefix +1: dialled *6719055551234 → +19055551234, anonymous', () => {
    const d = dial(tenant, '100', '*6719055551234');
    expect(d).toMatchObject({ action: 'outbound', line: 'private-longdistance', number: '+19055551234', privacy: true });
  });

  it('line *67NXXNXXXXXX! strip 3: *679055551234 → 9055551234, anonymous', () => {
    const d = dial(tenant, '100', '*679055551234');
    expect(d).toMatchObject({ action: 'outbound', line: 'private-local', number: '9055551234', privacy: true });
  });

  it('*67 toll free: the access code *67 is always stripped and the call is anonymous', () => {
    const d = dial(tenant, '100', '*6718005551234');
    expect(d).toMatchObject({ action: 'outbound', line: 'private-tollfree', number: '18005551234', privacy: true });
  });

  it('a line with an access code only matches numbers that start with it', () => {
    const t = tenantFromYaml(`
tenants:
  t:
    domain: t
    extensions: { '100': { password: p } }
    cos: { default: { outgoingLines: [pbx] } }
    outgoingLines: { pbx: { accessCode: '9', dialStrings: ['NXXXXXX'], prefix: '416', trunks: [k] } }
    trunks: { k: { host: 127.0.0.9 } }
`);
    expect(dial(t, '100', '95551212')).toMatchObject({ action: 'outbound', number: '4165551212' });
    expect(dial(t, '100', '5551212')).toMatchObject({ action: 'reject', status: 404 });
  });

  it('two tenants, same dial string X.: abc → 5551212, xyz → 15551212', () => {
    const config = `
tenants:
  abc:
    domain: abc.example
    extensions: { '100': { password: p } }
    cos: { default: { outgoingLines: [customerabcX.] } }
    outgoingLines: { customerabcX.: { groupId: 1, dialStrings: ['X.'], trunks: [voip5551234] } }
    trunks: { voip5551234: { host: 127.0.0.61 } }
  xyz:
    domain: xyz.example
    extensions: { '100': { password: p } }
    cos: { default: { outgoingLines: [customerxyzX.] } }
    outgoingLines: { customerxyzX.: { groupId: 2, dialStrings: ['X.'], prefix: '1', trunks: [voip5552234] } }
    trunks: { voip5552234: { host: 127.0.0.62 } }
`;
    const abc = dial(tenantFromYaml(config, 'abc'), '100', '5551212');
    const xyz = dial(tenantFromYaml(config, 'xyz'), '100', '5551212');
    expect(abc).toMatchObject({ action: 'outbound', groupId: 1, number: '5551212', trunks: ['voip5551234'] });
    expect(xyz).toMatchObject({ action: 'outbound', groupId: 2, number: '15551212', trunks: ['voip5552234'] });
  });

  it("trunks are listed in the line's priority order: bellprimarysbc then bellsecondarysbc", () => {
    const d = dial(tenant, '100', '4165551212');
    expect(d).toMatchObject({ action: 'outbound', trunks: ['bellprimarysbc', 'bellsecondarysbc'] });
  });
});

describe('DOMAIN §4 caller ID on the outgoing leg', () => {
  const yaml = (lineCallerId: string): string => `
tenants:
  t:
    domain: t
    extensions:
      '100': { password: p, displayName: Alice, callerId: { name: Alice Smith, number: '4165550100' } }
      '101': { password: p, displayName: Bob }
    cos: { default: { outgoingLines: [out] } }
    outgoingLines: { out: { dialStrings: ['X.'], trunks: [k], callerId: ${lineCallerId} } }
    trunks: { k: { host: 127.0.0.9 } }
`;
  it("the extension's caller ID overrides the line's", () => {
    const t = tenantFromYaml(yaml(`{ name: ACME, number: '4165550000' }`));
    expect(dial(t, '100', '5551212')).toMatchObject({ callerId: { name: 'Alice Smith', number: '4165550100' } });
  });
  it("without its own caller ID the extension presents the line's", () => {
    const t = tenantFromYaml(yaml(`{ name: ACME, number: '4165550000' }`));
    expect(dial(t, '101', '5551212')).toMatchObject({ callerId: { name: 'ACME', number: '4165550000' } });
  });
  it('a forced line caller ID is used when set', () => {
    const t = tenantFromYaml(yaml(`{ name: ACME, number: '4165550000', force: true }`));
    expect(dial(t, '100', '5551212')).toMatchObject({ callerId: { name: 'ACME', number: '4165550000' } });
  });
  it('presentation restricted makes the call anonymous; allowed does not', () => {
    expect(dial(tenantFromYaml(yaml(`{ presentation: restricted }`)), '100', '5551212')).toMatchObject({ privacy: true });
    expect(dial(tenantFromYaml(yaml(`{ presentation: allowed }`)), '100', '5551212')).toMatchObject({ privacy: false });
  });
});
