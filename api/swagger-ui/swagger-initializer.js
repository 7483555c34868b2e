// The service's own specification, from the same origin: the page loads nothing from outside.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/apispec_1.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
  });
};
