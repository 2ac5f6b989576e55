package io.messagebridge.language;

import org.apache.camel.Predicate;
import org.apache.camel.support.ExpressionToPredicateAdapter;
import org.apache.camel.support.LanguageSupport;

/** A language over a JSON body whose predicates are its expressions' values (Camel registers each by name). */
abstract class JsonBodyLanguage extends LanguageSupport {

    @Override
    public Predicate createPredicate(String expression) {
        return ExpressionToPredicateAdapter.toPredicate(createExpression(expression));
    }
}
