"""Workflow rules over one household's resources (DOMAIN.md §2-§5).

Pure functions: every rule takes the household's resources, the regional settings and the moment
``at`` it is evaluated for; none reads a clock, a file or the network. The modules, one concept
each:

- ``regions``: regional agreement settings (schema + loader of ``regions/*.yaml``);
- ``calendar``: Dutch working days (weekends and public holidays);
- ``household``: an index of a household's resources by type and profile;
- ``deadlines``: obligations with their due dates (VT, local team, restraining order, monitoring);
- ``safety``: Routekaart phase and exit criteria per safety plan, stable safety;
- ``meldcode``: next step, missing documentation and the decision framework;
- ``guards``: 1G1P1R guards (closing, role succession, stagnation);
- ``checks``: the other rules of the domain brief, as findings;
- ``status``: one dashboard combining the above;
- ``sources``: where a household comes from (bundle file, example, server): the I/O edge.
"""
