// The browser's copy of the person's theme ("{user id}:dark", cookie-safe characters only), read by the next page's server
// render instead of the database.
export function rememberTheme(name, value) {
  document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax`;
}
