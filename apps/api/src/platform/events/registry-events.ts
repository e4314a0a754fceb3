import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A registry fact changed: what stored read models show of it must follow, in the same transaction. */
export type RegistryEvent =
  | { kind: 'zone.changed'; zoneId: string }
  | { kind: 'certificate.changed'; certificationId: string }
  | { kind: 'cooperative.changed'; cooperativeId: string }
  | { kind: 'household.changed'; householdId: string }
  | { kind: 'plot.changed'; plotId: string; cooperativeId: string }
  | { kind: 'buyer.changed'; buyerId: string };

type Listener = (manager: EntityManager, event: RegistryEvent) => Promise<void>;

/** Facts derived from the change (re-stamped harvests) settle before read models are rebuilt. */
export type ListenerStage = 'facts' | 'read-models';

/**
 * Side effects in one place: writers emit what changed, listeners (the provenance pages)
 * refresh what they keep, inside the writer's transaction, so a page is never stale once the
 * write has answered and a new writer cannot forget them.
 */
@Injectable()
export class RegistryEvents {
  private readonly listeners: Record<ListenerStage, Listener[]> = { facts: [], 'read-models': [] };

  listen(stage: ListenerStage, listener: Listener): void {
    this.listeners[stage].push(listener);
  }

  async emit(manager: EntityManager, event: RegistryEvent): Promise<void> {
    for (const listener of this.listeners.facts) await listener(manager, event);
    for (const listener of this.listeners['read-models']) await listener(manager, event);
  }
}
