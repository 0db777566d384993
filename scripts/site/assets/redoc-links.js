// The API reference: Redoc routes by the URL's hash but renders its links as root paths
// (`/partner-account`), which 404 when opened in a new tab or shared. Each link Redoc renders is
// given its hash route (`#/partner-account`); Redoc's own click handling is unchanged.
'use strict';
(() => {
  const fix = () => {
    for (const a of document.querySelectorAll('a[href^="/"]:not([href^="//"])')) a.setAttribute('href', '#' + a.getAttribute('href'));
  };
  fix();
  new MutationObserver(fix).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['href'] });
})();
