const STORAGE_KEY = 'sg-admin-api-key';

/**
 * The admin API key for this browser tab: sessionStorage survives reloads but not the
 * tab, and is never sent anywhere except in the Authorization header of /api calls.
 */
export const adminKeyStore = {
  get() {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  set(key) {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};
