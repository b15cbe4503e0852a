"""The model's mechanisms, one module each, in the order the schedule calls them (docs/ODD.md, 3).

Every mechanism is a function of the :class:`soviet_cohesion.model.Simulation` it updates in
place: arrays over all runs at once, shaped ``(runs, regions)``, ``(runs, republics)`` or
``(runs,)``, so one run is the case of a single row. Each function's docstring gives its
equation as implemented; the feedback-loop switch it obeys is named beside the equation.

============================  ==========================================================
module                        submodels
============================  ==========================================================
:mod:`.timeline`              ``apply_events``: the scenario's reforms and shocks
:mod:`.doctrine`              ``centre_reacts``: audits, force, appeasement, a union treaty
:mod:`.economy`               ``plan_quotas``, ``supply``, ``produce``, ``local_accounts``
:mod:`.officials`             ``decide``: obey, hold back or break away; allegiance
:mod:`.deliveries`            ``deliver_and_report``: deliveries, the supply chain, reports
:mod:`.information`           ``update_official_picture``: the gap and its revelation
:mod:`.audits`                ``audit_and_punish``, ``careers``: audits, networks, turnover
:mod:`.republics`             ``mobilise``, ``leaders_decide``: publics and declarations
:mod:`.authority`             ``update_authority``: the centre's authority
============================  ==========================================================
"""
