package app.caravel.db;

import org.apache.tomcat.jdbc.pool.interceptor.StatementCache;

import java.lang.reflect.Method;

/**
 * tomcat-jdbc's statement cache, but handing out the driver's own result sets. The stock cache wraps each
 * result set in a reflective proxy only so that {@code ResultSet.getStatement()} returns the cached statement;
 * every column read then went through {@code Method.invoke} (a tenth of GET /relays' CPU). Nothing here asks a
 * result set for its statement: JDBI and JobRunr close the statements they prepared.
 */
public class StatementCacheWithPlainResults extends StatementCache {
    @Override
    protected boolean isResultSet(Method method, boolean process) {
        return false;
    }
}
