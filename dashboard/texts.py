"""The classroom text that does not depend on the scenario (NetLogo's Info-tab outline).

The scenario's own text (what happened, what to watch, things to notice, things to try,
extending the model, references) comes from its ``[narrative]`` table; see ``info_panel.py``.
"""

WHAT_IS_IT = """\
An agent-based model of how a centralised state loses control **from the local level**. Each
tile of the map is one region of the USSR, run by a regional official (obkom secretary,
sovnarkhoz chairman). The centre in Moscow sets plans, sends supplies, audits and punishes.
The question: does the union break at the top, or does it drain away from below, one
region at a time?"""

HOW_IT_WORKS = """\
Every quarter each official weighs two risks:

* **Risk of obeying**: the region's shortfalls, unrest and unmet plan, for which the official
  is blamed locally (less so when the centre *shares responsibility*).
* **Risk of disobeying**: the chance of an audit times the punishment, plus loyalty to a
  centre with authority. Audits spread thin when many regions disobey (*safety in numbers*).

An official stops obeying (turns *managing risk*: withholds deliveries, under-reports) when
obeying has become riskier than disobeying by more than what its peers' example covers: the
more neighbours have already stopped obeying, the easier it is to follow (a threshold rule).
A risk-managing official whose regional identity and unrest pull hard enough turns openly
*autonomous*.

The centre's **reserves** come from deliveries and pay for supplies and audits; its
**authority** follows its results. Five feedback loops (fiscal, enforcement, legitimacy,
contagion, responsibility) can be switched off one at a time under *More levers*.

**Cohesion** is the mean of compliance (share of regions obeying), the output-weighted share
obeying, the centre's authority, and the population share still in the union."""

HOW_TO_USE_IT = """\
1. Pick a **scenario** (a dated timeline of the centre's policies) and a **seed** (the same
   seed gives the same run), then press **Reset**.
2. **Play** runs a quarter at a time at the chosen **speed**; **Step** runs one quarter.
   The dashed numbered lines on the plots are the scenario's dated events (hover for the text).
3. **Click a region** on the map to see its official and why it chose what it chose.
4. Move a **lever** at any time: the model takes it from the next quarter and holds it
   (the scenario no longer moves that lever; a "held" mark shows it).
5. **Compare** runs the same scenario and seed beside yours with one lever changed, and
   overlays the two cohesion curves.
6. **Export**: the CSV buttons save the run's data; the save icon (top right of each chart) saves it as a PNG.
7. **Presentation** mode (top right) shows fewer, larger panels for a projector."""
