// Progressive enhancement for the demo shop's server-rendered pages (the shop works without it).
(function () {
  'use strict';

  function pageConfig() {
    var el = document.getElementById('page-config');
    return el ? JSON.parse(el.textContent || '{}') : {};
  }

  // Marks the products the server says are popular. The page config is part of the release: a page rendered without
  // `highlights` (the js-error fault) breaks this, the way a front end and back end out of step do.
  function showHighlightBadges(config) {
    config.highlights.badges.forEach(function (badge) {
      var link = document.querySelector('[data-testid="product-highlights"] a[href="/products/' + badge.id + '"]');
      if (!link) return;
      var tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = badge.label;
      link.appendChild(tag);
    });
  }

  // "/" focuses the search box, as on many shops; ignored while typing in a field.
  function searchShortcut() {
    var box = document.querySelector('input[type="search"]');
    if (!box) return;
    document.addEventListener('keydown', function (event) {
      var target = event.target;
      var typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key === '/' && !typing) {
        event.preventDefault();
        box.focus();
      }
    });
  }

  // A second click on a submit button while the first request is running would place two orders.
  function preventDoubleSubmit() {
    document.addEventListener('submit', function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
      if (form.dataset.submitting === 'true') {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = 'true';
    });
  }

  function start() {
    searchShortcut();
    preventDoubleSubmit();
    if (document.body.dataset.page === 'home') showHighlightBadges(pageConfig());
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
