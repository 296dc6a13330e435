/* Place picker: the desa list narrows to the chosen kecamatan without a round trip.
   Without this script the form works in two steps ("Lanjut"). Data comes from the
   page's <script type="application/json" id="desa-by-kecamatan"> block. */
(function () {
  "use strict";
  var data = document.getElementById("desa-by-kecamatan");
  var kecamatan = document.getElementById("id_kecamatan");
  var desa = document.getElementById("id_desa");
  if (!data || !kecamatan || !desa) {
    return;
  }
  var places = JSON.parse(data.textContent);
  var placeholder = desa.options.length && desa.options[0].value === "" ? desa.options[0].text : "";
  var step = document.querySelector("button[name=pick_kecamatan]");
  if (step) {
    step.hidden = true;
  }
  var help = document.getElementById("id_desa_helptext");

  function fill() {
    var chosen = desa.value;
    while (desa.options.length) {
      desa.remove(0);
    }
    desa.add(new Option(placeholder, ""));
    (places[kecamatan.value] || []).forEach(function (place) {
      desa.add(new Option(place[1], place[0], false, place[0] === chosen));
    });
    desa.disabled = !kecamatan.value;
    if (help && kecamatan.value) {
      help.hidden = true;
    }
  }

  kecamatan.addEventListener("change", fill);
  if (kecamatan.value) {
    fill();
  } else {
    desa.disabled = desa.options.length <= 1;
  }
})();
