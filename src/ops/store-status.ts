import type { AppContext } from '../app/context.js';
import type { CallServices } from '../app/calls/services.js';
import { ResilientLocationStore } from '../store/resilient-location-store.js';
import type { TenantRegistrations } from '../store/location-store.js';
import type { StoreStatus, TenantCalls } from './http.js';

/** The store section of /health and the store gauges. */
export function storeStatus(ctx: AppContext): StoreStatus {
  const store = ctx.store instanceof ResilientLocationStore ? ctx.store : undefined;
  return { ...ctx.storeHealth.snapshot(), pendingWrites: store?.pendingWrites ?? 0, cachedExtensions: store?.cache.size ?? 0 };
}

/** Registered devices and bindings per tenant, as this instance knows them. */
export function registeredByTenant(ctx: AppContext): TenantRegistrations[] {
  return ctx.store.registrationSummary?.(Date.now()) ?? [];
}

/** Calls in progress on this instance per tenant (every configured tenant, 0 included). */
export function callsByTenant(ctx: AppContext, services: Pick<CallServices, 'calls'>): TenantCalls[] {
  const counts = new Map<string, number>();
  for (const t of ctx.config.tenants.keys()) counts.set(t, 0);
  for (const r of services.calls.list()) if (r.tenant !== undefined) counts.set(r.tenant, (counts.get(r.tenant) ?? 0) + 1);
  return [...counts].map(([tenant, active]) => ({ tenant, active }));
}
