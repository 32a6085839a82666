/**
 * Who is logged in where, for hot-desk extensions. IN MEMORY, per process: a restart logs every
 * guest out and several instances do not share logins (the interactive `*22` login needs the
 * media service and is not built yet; `login` is for that feature and for tests).
 */
export class HotDeskLogins {
  /** tenant → phone device user → guest extension */
  private readonly byPhone = new Map<string, Map<string, string>>();
  /** tenant → guest extension → phone device user */
  private readonly byGuest = new Map<string, Map<string, string>>();

  login(tenant: string, phoneDevice: string, guest: string): void {
    this.logoutGuest(tenant, guest);
    this.logoutPhone(tenant, phoneDevice);
    map(this.byPhone, tenant).set(phoneDevice, guest);
    map(this.byGuest, tenant).set(guest, phoneDevice);
  }

  logoutPhone(tenant: string, phoneDevice: string): void {
    const guest = this.byPhone.get(tenant)?.get(phoneDevice);
    if (guest === undefined) return;
    this.byPhone.get(tenant)?.delete(phoneDevice);
    this.byGuest.get(tenant)?.delete(guest);
  }

  logoutGuest(tenant: string, guest: string): void {
    const phone = this.byGuest.get(tenant)?.get(guest);
    if (phone !== undefined) this.logoutPhone(tenant, phone);
  }

  guestOn(tenant: string, phoneDevice: string): string | undefined {
    return this.byPhone.get(tenant)?.get(phoneDevice);
  }

  phoneOf(tenant: string, guest: string): string | undefined {
    return this.byGuest.get(tenant)?.get(guest);
  }
}

function map(m: Map<string, Map<string, string>>, tenant: string): Map<string, string> {
  let inner = m.get(tenant);
  if (inner === undefined) {
    inner = new Map();
    m.set(tenant, inner);
  }
  return inner;
}
