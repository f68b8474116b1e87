// Injected before any page script (page.add_init_script): collects every
// Content-Security-Policy violation, so the test can fail on it.
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber}`,
  );
});
