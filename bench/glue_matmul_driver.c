#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>
typedef struct { float *a, *d; long off, s[2], st[2]; } M2;
void _mlir_ciface_mm(M2 *r, M2 *x, M2 *w);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e6+t.tv_nsec/1e3;}
int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(){int M=64,K=784,N=300;float*x=malloc(4*M*K),*w=malloc(4*K*N),*y=malloc(4*M*N);
for(int i=0;i<M*K;i++)x[i]=(i%17)*0.1f-0.8f;for(int i=0;i<K*N;i++)w[i]=(i%13)*0.05f-0.3f;
M2 X={x,x,0,{M,K},{K,1}},W={w,w,0,{K,N},{N,1}},R;double td[200],tb[200];float err=0;
for(int it=0;it<200;it++){double t0=now();_mlir_ciface_mm(&R,&X,&W);td[it]=now()-t0;
 t0=now();cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,M,N,K,1,x,K,w,N,0,y,N);tb[it]=now()-t0;
 if(it==0)for(int i=0;i<M*N;i++){float d=R.d[i]-y[i];if(d<0)d=-d;if(d>err)err=d;} free(R.a);}
qsort(td,200,8,cmp);qsort(tb,200,8,cmp);printf("64x784x300 matmul: dc %.1f us, openblas %.1f us, ratio %.2f, maxerr %g\n",td[100],tb[100],td[100]/tb[100],err);}
