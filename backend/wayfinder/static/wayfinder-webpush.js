/*
 * Wayfinder web push snippet: subscribes a shop's visitor to web push and hands the subscription to the shop's
 * own server, which registers it with Wayfinder (POST /api/devices with an API key of scope "track").
 *
 * The browser never holds the API key: Wayfinder's API answers no cross-origin request, and a key in a page is
 * a key for everyone. See docs/web-push.md.
 *
 *   <script src="/wayfinder-webpush.js"></script>
 *   <script>
 *     WayfinderWebPush.subscribe({
 *       vapidPublicKey: "<GET /api/webpush/config → vapid_public_key, fetched by your server>",
 *       customerId: "<the signed-in customer's id in your shop>",
 *       registerUrl: "/wayfinder/devices",   // your server's route that forwards to Wayfinder
 *       serviceWorker: "/wayfinder-sw.js"      // served from your site's root
 *     });
 *   </script>
 */
(function (global) {
  "use strict";

  function urlBase64ToUint8Array(base64) {
    var padding = "=".repeat((4 - (base64.length % 4)) % 4);
    var raw = global.atob((base64 + padding).replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in global && "Notification" in global;
  }

  function send(options, method, subscription) {
    return fetch(options.registerUrl || "/wayfinder/devices", {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customer_id: options.customerId, kind: "webpush", subscription: subscription.toJSON() }),
    }).then(function (response) {
      if (!response.ok) throw new Error("Registering the subscription failed: " + response.status);
      return subscription;
    });
  }

  function registration(options) {
    return navigator.serviceWorker.register(options.serviceWorker || "/wayfinder-sw.js");
  }

  /** Ask for permission (call it from a click: browsers refuse prompts nobody asked for), subscribe, register. */
  function subscribe(options) {
    if (!supported()) return Promise.reject(new Error("This browser has no web push."));
    if (!options || !options.vapidPublicKey || !options.customerId) {
      return Promise.reject(new Error("vapidPublicKey and customerId are required."));
    }
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("Notifications were not allowed.");
      return registration(options).then(function (reg) {
        return reg.pushManager.getSubscription().then(function (existing) {
          return (
            existing ||
            reg.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: urlBase64ToUint8Array(options.vapidPublicKey),
            })
          );
        });
      }).then(function (subscription) {
        return send(options, "POST", subscription);
      });
    });
  }

  /** Unsubscribe this browser and tell the shop's server (DELETE), which disables the device in Wayfinder. */
  function unsubscribe(options) {
    if (!supported()) return Promise.resolve(null);
    return registration(options).then(function (reg) {
      return reg.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return null;
      return send(options, "DELETE", subscription).then(function () {
        return subscription.unsubscribe();
      });
    });
  }

  global.WayfinderWebPush = { subscribe: subscribe, unsubscribe: unsubscribe, supported: supported };
})(window);
