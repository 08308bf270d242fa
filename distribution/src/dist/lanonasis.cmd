@echo off
rem The lanonasis CLI on Windows (README.md): runs lanonasis.jar from this script's own folder.
rem Java 17 or later: %JAVA_HOME%\bin\java.exe when JAVA_HOME is set, otherwise java on PATH.
rem LANONASIS_JAVA_OPTS adds JVM flags. The exit code is the CLI's.
setlocal
set "LANONASIS_JAVA=java"
if defined JAVA_HOME set "LANONASIS_JAVA=%JAVA_HOME%\bin\java.exe"
"%LANONASIS_JAVA%" %LANONASIS_JAVA_OPTS% -jar "%~dp0lanonasis.jar" %*
exit /b %ERRORLEVEL%
