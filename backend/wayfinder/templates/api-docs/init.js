// Starts Swagger UI on /api/docs. A file rather than an inline script, so the Content-Security-Policy can keep
// `script-src 'self'`.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // the default sends the spec to an online validator: no outside requests
    tryItOutEnabled: false,
  });
});
