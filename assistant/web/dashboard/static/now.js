// The Now page refreshes itself without interrupting: it skips a round while someone is
// typing or has a menu open inside the board, and reloads fully if the session ended.
(function () {
  var board = document.getElementById("board");
  if (!board) return;
  var url = board.dataset.refreshUrl;
  var seconds = parseInt(board.dataset.refreshSeconds, 10) || 30;

  function busy() {
    var active = document.activeElement;
    if (active && board.contains(active) && active !== document.body) return true;
    var typed = board.querySelectorAll("input[type=text], textarea");
    for (var i = 0; i < typed.length; i++) if (typed[i].value) return true;
    return board.querySelector("details[open]") !== null;
  }

  function refresh() {
    if (busy()) return;
    fetch(url, {credentials: "same-origin"}).then(function (response) {
      if (response.redirected || !response.ok) { window.location.reload(); return null; }
      return response.text();
    }).then(function (html) {
      if (html !== null && html !== undefined && !busy()) board.innerHTML = html;
    }).catch(function () { /* offline for a moment: try again next round */ });
  }

  window.setInterval(refresh, seconds * 1000);
})();
