"""The one SPARQL layer under the command line, the API and the analysis.

What every runner of SPARQL shares lives here, below the stores: the checks a query passes
before it runs (:mod:`~graph.sparql.guard`), query texts kept in ``.rq`` files with their
parameters bound as RDF terms, never spliced (:mod:`~graph.sparql.template`), the query
catalogue (:mod:`~graph.sparql.catalogue`) and result terms as JSON values
(:mod:`~graph.sparql.values`). The prefixes are :func:`ontology.namespace.sparql_prefixes`.
"""
