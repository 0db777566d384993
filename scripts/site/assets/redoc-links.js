// The API reference: Redoc routes by the URL's hash but renders its links as root paths
// (`/partner-account`), which 404 when opened in a new tab or shared. Each link Redoc renders is
// given its hash route (`#/partner-account`); Redoc's own click handling is unchanged. Only the
// nodes a change touches are looked at: the page is large.
'use strict';
(() => {
  const fixLink = (a) => {
    const href = a.getAttribute('href');
    if (href && href[0] === '/' && href[1] !== '/') a.setAttribute('href', '#' + href);
  };
  const fixTree = (node) => {
    if (node.nodeType !== 1) return;
    if (node.tagName === 'A') fixLink(node);
    for (const a of node.querySelectorAll('a[href^="/"]')) fixLink(a);
  };
  fixTree(document.body);
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target.tagName === 'A') fixLink(record.target);
      } else record.addedNodes.forEach(fixTree);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['href'] });
})();
