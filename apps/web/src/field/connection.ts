import type { MeDto } from '@huuco/domain';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { registerSW } from 'virtual:pwa-register';
import { queryClient } from '../app/query';
import { prefetchFieldKit } from './field-kit';
import { sendWaiting } from './outbox';

function subscribe(changed: () => void): () => void {
  window.addEventListener('online', changed);
  window.addEventListener('offline', changed);
  return () => {
    window.removeEventListener('online', changed);
    window.removeEventListener('offline', changed);
  };
}

/** Whether the device has a network, as the browser knows it. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine);
}

/**
 * Sends what this user left waiting on the device: when the app opens with a session, after a
 * login (the same user's records only), whenever the network returns, and every few seconds
 * while it is up (a round finds nothing to do when nothing waits).
 */
export function useSendWhenOnline(user: MeDto | null, offline: boolean): void {
  const online = useOnline();
  useEffect(() => {
    if (user && online && !offline) prefetchFieldKit(user);
  }, [user, online, offline]);
  useEffect(() => {
    if (!user || !online || offline) return;
    void sendWaiting(user.id);
    // A round stopped by a signal that came back only in name is tried again.
    const again = setInterval(() => void sendWaiting(user.id), 5_000);
    return () => clearInterval(again);
  }, [user, online, offline]);
}

/**
 * The service worker that keeps the app and its last answers for use with no signal. On the first
 * visit the page's reads went out before it took over; they are read again through it, so that
 * one online visit is enough to open the same screens in the field.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => void readAgainThroughWorker());
  registerSW({ immediate: true });
}

/**
 * A read still on its way when the worker took over is not asked again by an invalidation (the
 * cache waits for it instead), so the reads are asked again once none is in flight.
 */
async function readAgainThroughWorker(): Promise<void> {
  for (let waited = 0; queryClient.isFetching() > 0 && waited < 10_000; waited += 100)
    await new Promise((done) => setTimeout(done, 100));
  await queryClient.invalidateQueries();
}

/** The browser's offer to install the app, where it makes one (Chromium on Android and desktop). */
interface InstallOffer extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let offer: InstallOffer | null = null;
const offerListeners = new Set<() => void>();
window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  offer = event as InstallOffer;
  for (const listener of offerListeners) listener();
});
window.addEventListener('appinstalled', () => {
  offer = null;
  for (const listener of offerListeners) listener();
});

/**
 * Installs the app on the device's home screen, when the browser offers it; `null` otherwise
 * (already installed, or a browser that installs from its own menu).
 */
export function useInstall(): (() => void) | null {
  const [, changed] = useState(0);
  useEffect(() => {
    const listener = () => changed((n) => n + 1);
    offerListeners.add(listener);
    return () => void offerListeners.delete(listener);
  }, []);
  if (!offer) return null;
  const current = offer;
  return () => {
    void current.prompt();
    void current.userChoice.then(({ outcome }) => {
      if (outcome === 'accepted') offer = null;
      for (const listener of offerListeners) listener();
    });
  };
}
